import { isErrorLike } from '../logging/loggable-error';

/** Seconds a client is told to wait before retrying while MySQL or Redis cannot be reached. */
export const RETRY_AFTER_SECONDS = 5;

/** Socket-level failures: the server is not there (refused, reset, timed out), not a bad query. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_SERVER_GONE_ERROR',
]);

/**
 * MySQL or Redis is down or unreachable: the request may succeed later, so it is answered 503 with
 * Retry-After instead of 500. Reads the mysql2 / TypeORM / ioredis error shapes.
 */
export function isBackendUnavailable(error: unknown): boolean {
  if (!isErrorLike(error)) return false;
  const fields = error as Error & { code?: unknown; driverError?: { code?: unknown } };
  const code = typeof fields.code === 'string' ? fields.code : typeof fields.driverError?.code === 'string' ? fields.driverError.code : null;
  if (code && CONNECTION_CODES.has(code)) return true;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  return /^(Connection is closed|Pool is closed|Connection lost|Can't add new command when connection is in closed state)/.test(error.message);
}
