import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loggableError } from '../logging/loggable-error';
import { ReplayedResponse, toErrorResponse } from './error-response';
import { RETRY_AFTER_SECONDS } from './unavailable';

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
      void reply.status(error.status).header('idempotent-replayed', 'true').send(error.body);
      return;
    }
    const requestId = requestIdOf(request);
    const { status, body } = toErrorResponse(error, requestId);
    if (status >= 500) this.logger.error({ error: loggableError(error), requestId }, 'request failed');
    const retryAfter = body.error.retryAfterSeconds;
    if (status === 429 && typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    if (status === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
