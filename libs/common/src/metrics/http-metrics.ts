import type { FastifyInstance } from 'fastify';
import { MetricsService, UNMATCHED_ROUTE } from './metrics.service';

/**
 * Counts and times every answered request under its route pattern (`/v1/transactions/:id`), never
 * the raw path; requests no route matched share one label value.
 */
export function installHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  if (!metrics.enabled) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequest(request.routeOptions.url ?? UNMATCHED_ROUTE, request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
