/**
 * An error as it may be logged or stored: its kind, code, message and stack, never the SQL text or
 * the bound parameters a database error carries (they hold whatever the request sent, card data
 * included), and no quoted values from the database's own message (`Duplicate entry '…'`).
 */
export interface LoggableError {
  type: string;
  message: string;
  code?: string;
  errno?: number;
  sqlState?: string;
  stack?: string;
}

const QUOTED_VALUE = /(?<!(?:column|key|table|database|index|constraint|function|procedure) )'(?:[^'\\]|\\.)*'/gi;

export function loggableError(error: unknown): LoggableError {
  if (!isErrorLike(error)) {
    const code = (error as { code?: unknown } | null)?.code;
    return {
      type: error === null ? 'null' : typeof error === 'object' ? (error.constructor?.name ?? 'object') : typeof error,
      message: 'a non-Error value was thrown',
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  const fields = error as Error & {
    code?: unknown;
    errno?: unknown;
    sqlState?: unknown;
    driverError?: unknown;
    query?: unknown;
    parameters?: unknown;
    sql?: unknown;
  };
  const database = fields.driverError !== undefined || fields.sql !== undefined || fields.query !== undefined || fields.sqlState !== undefined;
  const message = database ? scrubDatabaseMessage(error.message) : error.message;
  const out: LoggableError = { type: error.name, message };
  if (typeof fields.code === 'string') out.code = fields.code;
  if (typeof fields.errno === 'number') out.errno = fields.errno;
  if (typeof fields.sqlState === 'string') out.sqlState = fields.sqlState;
  if (error.stack) out.stack = database ? error.stack.replace(error.message, message) : error.stack;
  return out;
}

export function scrubDatabaseMessage(message: string): string {
  return message.replace(QUOTED_VALUE, "'[redacted]'");
}

/** An Error, also one made in another realm (a vm context, a worker), where `instanceof Error` is false. */
export function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && typeof (value as Error).name === 'string')
  );
}
