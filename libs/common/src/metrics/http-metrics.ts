import type { FastifyInstance } from 'fastify';
import { annotateSpan, tracingActive } from '../tracing/spans';
import { MetricsService, UNMATCHED_ROUTE } from './metrics.service';

/**
 * Counts and times every answered request under its route pattern (`/v1/transactions/:id`), never
 * the raw path; requests no route matched share one label value. With tracing on, the request's span
 * gets the route and the transaction id the path names.
 */
export function installHttpObservability(fastify: FastifyInstance, metrics: MetricsService): void {
  if (metrics.enabled) {
    fastify.addHook('onResponse', (request, reply, done) => {
      metrics.httpRequest(request.routeOptions.url ?? UNMATCHED_ROUTE, request.method, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }
  if (tracingActive()) {
    fastify.addHook('preHandler', (request, _reply, done) => {
      const params = (request.params ?? {}) as Record<string, string | undefined>;
      const txId = [params.id, params.txId].find((v) => v?.startsWith('tx_'));
      annotateSpan({ 'http.route': request.routeOptions.url, 'payhub.transaction_id': txId });
      done();
    });
  }
}
