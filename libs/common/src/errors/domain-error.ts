import { ErrorCode } from './error-codes';

/**
 * One row of an error's `details`: the offending field and what is wrong with it, or (with `value`)
 * a fact the caller can act on, such as the `transactionId` a repeated merchantTxId belongs to.
 */
export interface ErrorDetail {
  field: string;
  issue: string;
  value?: string | number | boolean | null;
}

/** A failure the caller can act on. Carries a stable code and never an HTTP status. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Facts for the caller, e.g. the existing transaction id; answered as `details` rows with a `value`. */
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
