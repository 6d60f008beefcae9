import { Failure, FailureCode } from '@payhub/domain';

export type KashaErrorStatus = 'DECLINED' | 'ERROR';

export interface KashaErrorCode {
  status: KashaErrorStatus;
  reason: string;
  failure: FailureCode;
}

const {
  INVALID_REQUEST,
  AMOUNT_TOO_LOW,
  AMOUNT_TOO_HIGH,
  PROVIDER_ERROR,
  INSUFFICIENT_FUNDS,
  DECLINED_BY_ISSUER,
  SUSPECTED_FRAUD,
  THREE_DS_FAILED,
  INVALID_CARD,
  LIMIT_EXCEEDED,
  EXPIRED,
  METHOD_UNAVAILABLE,
  DECLINED_BY_PROVIDER,
} = FailureCode;

/**
 * Kasha's error table (API v2) onto payhub's failure codes. The reasons are payhub's wording; the
 * Kasha code travels as `providerCode`. Every code of the document is here, and nothing else.
 */
export const KASHA_ERROR_CODES: Readonly<Record<string, KashaErrorCode>> = {
  '1000': { status: 'DECLINED', reason: 'Kasha rejected the request as invalid', failure: INVALID_REQUEST },
  '1001': { status: 'DECLINED', reason: 'The customer phone number is missing', failure: INVALID_REQUEST },
  '1002': { status: 'DECLINED', reason: 'The document id was not accepted', failure: INVALID_REQUEST },
  '1003': { status: 'DECLINED', reason: 'The document type was not accepted', failure: INVALID_REQUEST },
  '1004': { status: 'DECLINED', reason: 'The phone number is invalid', failure: INVALID_REQUEST },
  '1005': { status: 'DECLINED', reason: 'The bank account format is invalid', failure: INVALID_REQUEST },
  '1006': { status: 'DECLINED', reason: 'The zip code is invalid or missing', failure: INVALID_REQUEST },
  '1007': { status: 'DECLINED', reason: 'The amount is below the minimum', failure: AMOUNT_TOO_LOW },
  '1008': { status: 'DECLINED', reason: 'The amount is above the maximum', failure: AMOUNT_TOO_HIGH },
  '1009': { status: 'DECLINED', reason: 'The amount is malformed', failure: INVALID_REQUEST },
  // "Contact support to confirm payment": Kasha itself does not know the outcome.
  '1100': { status: 'ERROR', reason: 'Kasha could not confirm the outcome; support must confirm it', failure: PROVIDER_ERROR },
  '3000': { status: 'DECLINED', reason: 'Insufficient funds on the card', failure: INSUFFICIENT_FUNDS },
  '3001': { status: 'DECLINED', reason: 'Declined by the issuer (do not honour)', failure: DECLINED_BY_ISSUER },
  '3002': { status: 'DECLINED', reason: 'Declined by risk checks', failure: SUSPECTED_FRAUD },
  '3003': { status: 'DECLINED', reason: '3DS authentication was abandoned', failure: THREE_DS_FAILED },
  '3004': { status: 'DECLINED', reason: 'Wrong CVV2/CVC2', failure: INVALID_CARD },
  '3005': { status: 'DECLINED', reason: 'The cardholder name was not accepted', failure: INVALID_CARD },
  '3006': { status: 'DECLINED', reason: 'Amount limit exceeded', failure: LIMIT_EXCEEDED },
  '3007': { status: 'DECLINED', reason: 'The card has expired', failure: INVALID_CARD },
  '3008': { status: 'DECLINED', reason: 'Another transaction is already in progress', failure: INVALID_REQUEST },
  '3009': { status: 'DECLINED', reason: 'The card number is invalid', failure: INVALID_CARD },
  '3010': { status: 'DECLINED', reason: 'The customer failed 3DS authentication', failure: THREE_DS_FAILED },
  '3011': { status: 'DECLINED', reason: 'The issuer has no record of the card', failure: INVALID_CARD },
  '3012': { status: 'DECLINED', reason: 'Pick-up card', failure: DECLINED_BY_ISSUER },
  '3013': { status: 'DECLINED', reason: 'Charge count limit of the card reached', failure: LIMIT_EXCEEDED },
  '3014': { status: 'DECLINED', reason: 'Amount limit exceeded', failure: LIMIT_EXCEEDED },
  '3015': { status: 'DECLINED', reason: 'The transaction is not permitted to the cardholder', failure: DECLINED_BY_ISSUER },
  '3016': { status: 'DECLINED', reason: 'Declined by the scheme (Visa)', failure: DECLINED_BY_ISSUER },
  '3017': { status: 'DECLINED', reason: 'Duplicate transaction', failure: INVALID_REQUEST },
  // The payment was never received within its window (e.g. a transfer that did not arrive).
  '3018': { status: 'DECLINED', reason: 'The payment was not received', failure: EXPIRED },
  '3019': { status: 'DECLINED', reason: 'Declined for recalculation', failure: DECLINED_BY_PROVIDER },
  '3020': { status: 'DECLINED', reason: 'The amount is below the allowed minimum', failure: AMOUNT_TOO_LOW },
  '3021': { status: 'DECLINED', reason: 'The country is blocked', failure: METHOD_UNAVAILABLE },
  '3022': { status: 'DECLINED', reason: 'The transaction was blocked', failure: SUSPECTED_FRAUD },
  '3023': { status: 'DECLINED', reason: 'Declined by the card issuer', failure: DECLINED_BY_ISSUER },
  '3024': { status: 'DECLINED', reason: 'This card type is not accepted', failure: METHOD_UNAVAILABLE },
  '3025': { status: 'DECLINED', reason: 'Only a local card is accepted in this country', failure: METHOD_UNAVAILABLE },
  '3026': { status: 'DECLINED', reason: 'Declined by the scheme (Mastercard)', failure: DECLINED_BY_ISSUER },
  '994': { status: 'DECLINED', reason: 'The card is blacklisted', failure: SUSPECTED_FRAUD },
  '995': { status: 'DECLINED', reason: 'Kasha has no payment option for this payment', failure: METHOD_UNAVAILABLE },
  '996': { status: 'DECLINED', reason: 'Kasha could not convert the currency', failure: METHOD_UNAVAILABLE },
  '997': { status: 'DECLINED', reason: 'Kasha found no route for this payment', failure: METHOD_UNAVAILABLE },
  '998': { status: 'DECLINED', reason: 'Kasha lost contact with its processor', failure: PROVIDER_ERROR },
  '999': { status: 'DECLINED', reason: 'Declined by Kasha (unspecified)', failure: DECLINED_BY_PROVIDER },
};

/** Kasha could not place the payment at all (no option, no conversion, no route): another provider may take it. */
export const KASHA_NOT_TAKEN_CODES: ReadonlySet<string> = new Set(['995', '996', '997']);

/** Kasha's code as the table spells it: `"0995"`, `995` and `"995"` are one code. */
export function normaliseKashaCode(code: unknown): string | null {
  if (typeof code === 'number' && Number.isInteger(code)) return String(code);
  if (typeof code === 'string' && /^\d{1,5}$/.test(code.trim())) return String(Number(code.trim()));
  return null;
}

export function kashaErrorCode(code: unknown): KashaErrorCode | null {
  const normalised = normaliseKashaCode(code);
  return normalised !== null && Object.hasOwn(KASHA_ERROR_CODES, normalised) ? KASHA_ERROR_CODES[normalised] : null;
}

/** A normalised failure for a Kasha code; an unknown code is a provider error that keeps the code. */
export function kashaFailure(code: unknown, providerMessage?: string | null): Failure {
  const known = kashaErrorCode(code);
  const providerCode = normaliseKashaCode(code) ?? (code === undefined || code === null ? null : String(code).slice(0, 32));
  return {
    code: known?.failure ?? FailureCode.PROVIDER_ERROR,
    reason: known?.reason ?? `Kasha answered with an unknown code ${providerCode ?? '(none)'}`,
    providerCode,
    providerMessage: providerMessage ?? null,
  };
}
