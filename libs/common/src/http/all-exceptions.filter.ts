import { ArgumentsHost, Catch, ExceptionFilter, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../errors';
import { loggableError } from '../logging/loggable-error';
import { ReplayedResponse, toErrorResponse } from './error-response';
import { allowedMethodsOf } from './route-methods';
import { RETRY_AFTER_SECONDS } from './unavailable';

/** Nest's answer for a path/method pair no route has ("Cannot GET /x"), as opposed to a 404 a handler threw. */
function isRouteNotFound(error: unknown): boolean {
  return error instanceof NotFoundException && /^Cannot [A-Z]+ /.test(error.message);
}

export function requestIdOf(request: FastifyRequest): string | null {
  return (request.raw as { id?: string }).id ?? (request.id as string | undefined) ?? null;
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    if (error instanceof ReplayedResponse) {
      void reply.status(error.status).header('idempotent-replayed', 'true');
      // Verbatim as stored, through JSON.stringify as before the route had a response schema: a schema would drop
      // a field it does not name (a body stored by an earlier version).
      if (typeof error.body === 'object' && error.body !== null)
        void reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(error.body));
      else void reply.send(error.body);
      return;
    }
    const requestId = requestIdOf(request);
    const allowed = isRouteNotFound(error) ? allowedMethodsOf(request) : [];
    if (allowed.length) {
      const { status, body } = toErrorResponse(
        new DomainError(ErrorCode.METHOD_NOT_ALLOWED, `${request.method} is not allowed here; this path answers ${allowed.join(', ')}`),
        requestId,
      );
      void reply.status(status).header('allow', allowed.join(', ')).header('content-type', 'application/json; charset=utf-8').send(body);
      return;
    }
    const { status, body } = toErrorResponse(error, requestId);
    if (status >= 500) this.logger.error({ error: loggableError(error), requestId }, 'request failed');
    const retryAfter = body.error.details.find((d) => d.field === 'retryAfterSeconds')?.value;
    if (status === 429 && typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    if (status === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
