import { HttpException } from '@nestjs/common';
import { DomainError, ErrorCode, ERROR_HTTP_STATUS, ErrorDetail } from '../errors';
import { isBackendUnavailable } from './unavailable';

/** The one error shape: nothing else at the top level; extra facts are `details` rows with a `value`. */
export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[]; requestId: string | null };
}

/** A stored response sent again verbatim (idempotent replay). */
export class ReplayedResponse extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('replayed response');
  }
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.ROUTE_NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

/** The one place an error becomes an HTTP answer. 5xx bodies never carry internals. */
export function toErrorResponse(thrown: unknown, requestId: string | null): { status: number; body: ErrorBody } {
  // Nest wraps Fastify's body-parsing errors in an HttpException; the Fastify code says what went wrong.
  const cause = thrown instanceof HttpException ? (thrown.cause as { code?: unknown } | undefined) : undefined;
  const error = typeof cause?.code === 'string' && cause.code.startsWith('FST_') ? cause : thrown;
  if (error instanceof DomainError) {
    const status = ERROR_HTTP_STATUS[error.code];
    return { status, body: { error: { code: error.code, message: error.message, details: [...error.details, ...factsOf(error.meta)], requestId } } };
  }
  const fastifyCode = (error as { code?: string } | null)?.code;
  const statusCode = (error as { statusCode?: number } | null)?.statusCode;
  if (fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return build(413, ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is larger than 1 MB', requestId);
  }
  if (fastifyCode === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return build(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send the body as application/json', requestId);
  }
  if (fastifyCode?.startsWith('FST_ERR_CTP_') || error instanceof SyntaxError) {
    return build(400, ErrorCode.MALFORMED_JSON, 'The request body is not valid JSON', requestId, [{ field: 'body', issue: 'is not valid JSON' }]);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = STATUS_CODES[status] ?? (status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.VALIDATION_FAILED);
    const message = status === 401 ? 'Authentication is required' : status === 404 ? 'No such route' : status >= 500 ? 'Internal error' : error.message;
    return build(status, code, message, requestId);
  }
  if (isBackendUnavailable(error)) {
    return build(503, ErrorCode.SERVICE_UNAVAILABLE, 'payhub cannot reach its database or queue right now; retry after the Retry-After delay', requestId);
  }
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return build(statusCode, STATUS_CODES[statusCode] ?? ErrorCode.VALIDATION_FAILED, (error as Error).message, requestId);
  }
  return build(500, ErrorCode.INTERNAL_ERROR, 'Internal error; quote the requestId when reporting it', requestId);
}

function factsOf(meta: Record<string, unknown>): ErrorDetail[] {
  return Object.entries(meta).map(([field, raw]) => {
    const value = raw === null || ['string', 'number', 'boolean'].includes(typeof raw) ? (raw as ErrorDetail['value']) : String(raw);
    return { field, issue: `is ${value}`, value };
  });
}

function build(status: number, code: ErrorCode, message: string, requestId: string | null, details: ErrorDetail[] = []) {
  return { status, body: { error: { code, message, details, requestId } } };
}
