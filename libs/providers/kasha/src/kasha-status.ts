import { fromMajorString } from '@payhub/common';
import { Failure, FailureCode, TxStatus, TxType } from '@payhub/domain';
import { MappedStatus, mapStatusWith, statusRules, type TransactionView } from '@payhub/providers-core';
import { asObject, codeOf, messageOf, str } from './kasha-answers';
import { kashaFailure } from './kasha-error-codes';

type Json = Record<string, unknown>;

/**
 * Kasha's transaction statuses as its reference and guides show them (NOTES §3.1): nothing else. A
 * status outside this union (EXPIRED, CANCELLED, anything new) is not guessed: INCONSISTENT, for a
 * later check or staff. Every table below has an entry for each, so a new member fails to compile
 * until each flow says what it means.
 */
export const KASHA_STATUSES = ['PENDING', 'PROCESSING', 'COMPLETED', 'REFUNDED', 'DECLINED', 'ERROR'] as const;
export type KashaStatus = (typeof KASHA_STATUSES)[number];

/** What a status reads against: the answer it came in and the payment payhub holds. */
export interface KashaStatusContext {
  tx: TransactionView;
  json: Json;
  /** The payment's Kasha session (30 minutes) has ended. */
  sessionExpired: boolean;
  /** The account's `pendingAfterSessionExpiry` is `expire`. */
  expireAfterSession: boolean;
}

/** What a `settle-payout` answer reads against. */
export interface KashaSettleContext {
  json: Json;
  action: 'APPROVE' | 'DECLINE';
  reason: string | null | undefined;
}

const note = (reason: string, providerCode: string): MappedStatus => ({
  status: TxStatus.INCONSISTENT,
  failure: { code: FailureCode.PROVIDER_ERROR, reason, providerCode },
});
const declined = (json: Json): MappedStatus => ({
  status: TxStatus.FAILED,
  failure: kashaFailure(asObject(json.errors)?.code ?? codeOf(json) ?? '999', messageOf(json)),
});
// Kasha's 1100 "contact support to confirm payment": the outcome is unknown to Kasha as well.
const errored = (json: Json): MappedStatus => ({
  status: TxStatus.INCONSISTENT,
  failure: kashaFailure(asObject(json.errors)?.code ?? '1100', messageOf(json)),
});
const EXPIRED_SESSION: MappedStatus = {
  status: TxStatus.FAILED,
  failure: { code: FailureCode.EXPIRED, reason: 'The Kasha session expired without a payment', providerMessage: null },
};

/** A deposit's status check (GET transaction status). */
const DEPOSIT_STATUSES = statusRules<KashaStatus, KashaStatusContext>({
  COMPLETED: { status: TxStatus.SUCCESSFUL },
  // The deposit was paid; a refund is its own child transaction.
  REFUNDED: { status: TxStatus.SUCCESSFUL },
  PROCESSING: { status: TxStatus.PROCESSING },
  PENDING: ({ tx, sessionExpired, expireAfterSession }) => {
    if (sessionExpired && expireAfterSession) return EXPIRED_SESSION;
    // Past the session Kasha takes no new payment, but a transfer already started may still land:
    // PROCESSING, so it is never told FAILED (the session's expiry applies to WAITING_INPUT only).
    if (sessionExpired || tx.status === TxStatus.PROCESSING) return { status: TxStatus.PROCESSING };
    return { status: TxStatus.WAITING_INPUT };
  },
  DECLINED: ({ json }) => declined(json),
  ERROR: ({ json }) => errored(json),
});

/** A payout's status check. Kasha holds every payout PENDING until settle-payout (or its portal) confirms it. */
const PAYOUT_STATUSES = statusRules<KashaStatus, KashaStatusContext>({
  COMPLETED: { status: TxStatus.SUCCESSFUL },
  // Not documented for payouts: paid and then returned, or never paid? Staff look.
  REFUNDED: note('Kasha reports the payout REFUNDED: whether the money reached the beneficiary is not known', 'REFUNDED'),
  PROCESSING: { status: TxStatus.PROCESSING },
  PENDING: ({ tx, sessionExpired }) => {
    if (tx.status === TxStatus.WAITING_APPROVAL) return { status: TxStatus.WAITING_APPROVAL };
    const data = tx.providerData ?? {};
    if (data.settlement === 'APPROVE') return { status: TxStatus.PROCESSING };
    // A hosted payout link: the customer is at Kasha's cashier, or Kasha's portal has not confirmed it
    // yet. Past the session it may still be confirmed, so it is never left to expire (PROCESSING).
    if (data.flow === 'hosted') return { status: sessionExpired || tx.status === TxStatus.PROCESSING ? TxStatus.PROCESSING : TxStatus.WAITING_INPUT };
    // Created but never confirmed (settle-payout lost): Kasha will not pay it until someone settles it.
    return note('Kasha holds the payout PENDING: settle-payout was never confirmed', 'PENDING');
  },
  DECLINED: ({ tx, json }) => (tx.providerData?.settlement === 'DECLINE' ? { status: TxStatus.FAILED, failure: declinedByStaff(null) } : declined(json)),
  ERROR: ({ json }) => errored(json),
});

/** A refund's status check reads the refunded deposit: only REFUNDED settles the refund. */
const REFUNDED_PARENT_STATUSES = statusRules<KashaStatus, KashaStatusContext>({
  REFUNDED: { status: TxStatus.SUCCESSFUL },
  // Accepted and not applied yet.
  PROCESSING: { status: TxStatus.PROCESSING },
  PENDING: { status: TxStatus.PROCESSING },
  COMPLETED: note('Kasha reports the refunded transaction still COMPLETED: no refund shows there', 'COMPLETED'),
  DECLINED: note('Kasha reports the refunded transaction DECLINED', 'DECLINED'),
  ERROR: ({ json }) => errored(json),
});

/** The answer to refund-by-reference (statusCode 000): the transaction as Kasha holds it now. */
const REFUND_ANSWER_STATUSES = statusRules<KashaStatus, Json>({
  REFUNDED: { status: TxStatus.SUCCESSFUL },
  PROCESSING: { status: TxStatus.PROCESSING },
  PENDING: { status: TxStatus.PROCESSING },
  // Accepted (000) while the transaction still reads COMPLETED: its status check settles it.
  COMPLETED: { status: TxStatus.PROCESSING },
  DECLINED: declined,
  ERROR: errored,
});

/** The answer to settle-payout. */
const SETTLE_ANSWER_STATUSES = statusRules<KashaStatus, KashaSettleContext>({
  PROCESSING: { status: TxStatus.PROCESSING },
  COMPLETED: { status: TxStatus.SUCCESSFUL },
  DECLINED: ({ json, action, reason }) => (action === 'DECLINE' ? { status: TxStatus.FAILED, failure: declinedByStaff(reason) } : declined(json)),
  PENDING: ({ action }) => note(`Kasha still holds the payout PENDING after settle-payout ${action}`, 'PENDING'),
  REFUNDED: ({ action }) => note(`Kasha reports REFUNDED after settle-payout ${action}`, 'REFUNDED'),
  ERROR: ({ json }) => errored(json),
});

export function kashaStatusOf(json: Json): string | undefined {
  return str(json.status)?.toUpperCase();
}

/** A status check's answer for this transaction: deposit, payout, or refund (read on its deposit). */
export function mapKashaStatus(status: string | undefined, ctx: KashaStatusContext): MappedStatus {
  const table = ctx.tx.txType === TxType.Refund ? REFUNDED_PARENT_STATUSES : isDeposit(ctx.tx) ? DEPOSIT_STATUSES : PAYOUT_STATUSES;
  return mapStatusWith(table, status, ctx, 'transaction status', 'Kasha');
}

export function mapRefundAnswer(status: string | undefined, json: Json): MappedStatus {
  // 000 without a status: accepted, and only the status check can say it is refunded.
  if (status === undefined) return { status: TxStatus.PROCESSING };
  return mapStatusWith(REFUND_ANSWER_STATUSES, status, json, 'refund status', 'Kasha');
}

export function mapSettleAnswer(status: string, ctx: KashaSettleContext): MappedStatus {
  return mapStatusWith(SETTLE_ANSWER_STATUSES, status, ctx, `status after settle-payout ${ctx.action}`, 'Kasha');
}

export function isDeposit(tx: Pick<TransactionView, 'txType'>): boolean {
  return tx.txType === TxType.CreditcardDeposit || tx.txType === TxType.BankDeposit || tx.txType === TxType.WalletDeposit;
}

export function sessionExpired(tx: TransactionView): boolean {
  const at = str(tx.providerData?.sessionExpiresAt);
  return !!at && Date.parse(at) < Date.now();
}

export const KASHA_EXPIRED_SESSION = EXPIRED_SESSION;

export function declinedByStaff(reason: string | null | undefined): Failure {
  return { code: FailureCode.DECLINED_BY_STAFF, reason: 'The payout was declined by staff', providerCode: null, providerMessage: reason ?? null };
}

/**
 * Kasha's `paymentAmount` and `currency` (exact decimal conversion, never rounded), compared with the
 * payment's by ApplyOutcomeService. An amount that does not read in its currency is kept as a string
 * in the exchange and reported as no amount; a currency Kasha names is always reported.
 */
export function reportedMoney(json: Json, readIn: string): { amount: bigint | null; currency: string | null } {
  const currency = str(json.currency)?.toUpperCase() ?? null;
  const value = json.paymentAmount;
  if (typeof value !== 'number' && typeof value !== 'string') return { amount: null, currency };
  try {
    return { amount: fromMajorString(value, currency ?? readIn), currency };
  } catch {
    return { amount: null, currency };
  }
}
