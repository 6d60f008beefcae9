/**
 * Normalised failure reasons: one code per cause, whichever provider reports it (the table is in
 * docs/providers/failure-codes.md). Provider-specific codes map onto these and travel as `providerCode`.
 */
export enum FailureCode {
  INSUFFICIENT_FUNDS = 'INSUFFICIENT_FUNDS',
  DECLINED_BY_ISSUER = 'DECLINED_BY_ISSUER',
  THREE_DS_FAILED = '3DS_FAILED',
  INVALID_CARD = 'INVALID_CARD',
  AMOUNT_TOO_LOW = 'AMOUNT_TOO_LOW',
  AMOUNT_TOO_HIGH = 'AMOUNT_TOO_HIGH',
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  SUSPECTED_FRAUD = 'SUSPECTED_FRAUD',
  INVALID_REQUEST = 'INVALID_REQUEST',
  METHOD_UNAVAILABLE = 'METHOD_UNAVAILABLE',
  CANCELLED_BY_USER = 'CANCELLED_BY_USER',
  DECLINED_BY_STAFF = 'DECLINED_BY_STAFF',
  /** The provider (or its processor) declined the payment without a more specific cause: moderation, an unspecified decline. */
  DECLINED_BY_PROVIDER = 'DECLINED_BY_PROVIDER',
  /** The provider failed technically: unreachable, auth refused, unreadable answer, unknown code. */
  PROVIDER_ERROR = 'PROVIDER_ERROR',
  EXPIRED = 'EXPIRED',
  /** The provider reported another amount or currency; held INCONSISTENT until staff decide. */
  AMOUNT_MISMATCH = 'AMOUNT_MISMATCH',
  CURRENCY_MISMATCH = 'CURRENCY_MISMATCH',
}

export interface Failure {
  code: FailureCode;
  reason: string;
  providerCode?: string | null;
  providerMessage?: string | null;
}
