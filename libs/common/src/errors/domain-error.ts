import { ErrorCode } from './error-codes';

export interface ErrorDetail {
  field: string;
  issue: string;
}

/** A failure the caller can act on. Carries a stable code and never an HTTP status. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Extra fields merged into the error body, e.g. the existing transaction id. */
    readonly meta: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(details: ErrorDetail[], message = 'The request is invalid'): DomainError {
    return new DomainError(ErrorCode.VALIDATION_FAILED, message, details);
  }

  static notFound(code: ErrorCode, what: string): DomainError {
    return new DomainError(code, `${what} was not found`);
  }
}
