import { FailureCode, TxStatus } from '@payhub/domain';
import { MappedStatus, mapStatus, statusTable } from '@payhub/providers-core';

export type { MappedStatus } from '@payhub/providers-core';

const failed = (code: FailureCode, reason: string, providerCode: string): MappedStatus => ({
  status: TxStatus.FAILED,
  failure: { code, reason, providerCode },
});

/** `ik_inv_st` of the interaction notification (NOTES §1.4): every documented value, nothing else. */
type InvoiceState = 'new' | 'waitAccept' | 'process' | 'success' | 'canceled' | 'fail';
const INVOICE_STATES = statusTable<InvoiceState>({
  // Not paid yet (e.g. still at 3-D Secure), so the session may expire.
  new: { status: TxStatus.WAITING_INPUT },
  waitAccept: { status: TxStatus.PROCESSING },
  process: { status: TxStatus.PROCESSING },
  success: { status: TxStatus.SUCCESSFUL },
  canceled: {
    status: TxStatus.CANCELLED,
    failure: { code: FailureCode.CANCELLED_BY_USER, reason: 'The payment was cancelled at Interkassa', providerCode: 'canceled' },
  },
  // The notification names no cause: a decline at Interkassa's end, not necessarily the issuer's.
  fail: failed(FailureCode.DECLINED_BY_PROVIDER, 'Interkassa reported the payment as failed', 'fail'),
});

/**
 * co-invoice `state` (NOTES §1.5), seen from the deposit. 4 (refund in progress) and 9 (refunded) mean
 * the deposit itself was paid; refunds are child transactions. 6 is called "failed" by a single
 * third-party source only, so it is left out (INCONSISTENT).
 */
type CoInvoiceState = '2' | '3' | '4' | '5' | '7' | '8' | '9';
const CO_INVOICE_STATES = statusTable<CoInvoiceState>({
  // "waiting payment": nothing paid yet, the customer may still be at 3-D Secure or may have left.
  '2': { status: TxStatus.WAITING_INPUT },
  '3': { status: TxStatus.PROCESSING },
  '4': { status: TxStatus.SUCCESSFUL },
  '5': failed(FailureCode.EXPIRED, 'The Interkassa invoice expired', '5'),
  '7': { status: TxStatus.SUCCESSFUL },
  '8': failed(FailureCode.DECLINED_BY_PROVIDER, 'The payment system cancelled the payment', '8'),
  '9': { status: TxStatus.SUCCESSFUL },
});

/** co-invoice `state` seen from a refund of that invoice: only "refunded" settles a refund. */
const REFUND_STATES = statusTable<'4' | '9'>({ '4': { status: TxStatus.PROCESSING }, '9': { status: TxStatus.SUCCESSFUL } });

/** Payout `state` of GET /withdraw/{id} (NOTES §1.5). */
type WithdrawState = '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '11' | '12';
const WITHDRAW_STATES = statusTable<WithdrawState>({
  '1': { status: TxStatus.PROCESSING },
  '2': { status: TxStatus.PROCESSING },
  '4': { status: TxStatus.PROCESSING },
  '5': { status: TxStatus.PROCESSING },
  '6': { status: TxStatus.PROCESSING },
  '7': { status: TxStatus.PROCESSING },
  '12': { status: TxStatus.PROCESSING },
  '8': { status: TxStatus.SUCCESSFUL },
  // Interkassa's moderation, not payhub's staff (DECLINED_BY_STAFF is theirs).
  '3': failed(FailureCode.DECLINED_BY_PROVIDER, 'Interkassa moderation rejected the payout', '3'),
  '9': failed(FailureCode.DECLINED_BY_PROVIDER, 'Interkassa cancelled the payout', '9'),
  '11': failed(FailureCode.DECLINED_BY_PROVIDER, 'The payout was returned', '11'),
});
/** `stateName`, read only when `state` is absent. */
const WITHDRAW_STATE_NAMES = statusTable<'success' | 'canceled'>({
  success: { status: TxStatus.SUCCESSFUL },
  canceled: failed(FailureCode.DECLINED_BY_PROVIDER, 'Interkassa cancelled the payout', 'canceled'),
});

export function mapInvoiceState(state: string): MappedStatus {
  return mapStatus(INVOICE_STATES, state, 'invoice state', 'Interkassa');
}

export function mapCoInvoiceState(state: string): MappedStatus {
  return mapStatus(CO_INVOICE_STATES, state, 'co-invoice state', 'Interkassa');
}

export function mapRefundInvoiceState(state: string): MappedStatus {
  return mapStatus(REFUND_STATES, state, 'co-invoice state for a refund', 'Interkassa');
}

export function mapWithdrawState(state: string | null, stateName: string | null): MappedStatus {
  if (state === null) return mapStatus(WITHDRAW_STATE_NAMES, stateName, 'payout state name', 'Interkassa');
  return mapStatus(WITHDRAW_STATES, state, 'payout state', 'Interkassa');
}
