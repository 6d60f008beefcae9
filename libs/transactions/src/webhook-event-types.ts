import { TxStatus } from '@payhub/domain';

/** The `type` of the webhook announcing that a transaction reached a status (docs/webhooks.md lists them). */
/** A transaction was stored (REGISTERED); not in the default webhook selection. */
export const TRANSACTION_CREATED_EVENT = 'transaction.created';

export const WEBHOOK_TYPE_BY_STATUS: Record<TxStatus, string> = {
  [TxStatus.REGISTERED]: TRANSACTION_CREATED_EVENT,
  [TxStatus.WAITING_INPUT]: 'transaction.waiting_input',
  [TxStatus.PROCESSING]: 'transaction.processing',
  [TxStatus.WAITING_APPROVAL]: 'transaction.waiting_approval',
  [TxStatus.SUCCESSFUL]: 'transaction.succeeded',
  [TxStatus.FAILED]: 'transaction.failed',
  [TxStatus.CANCELLED]: 'transaction.cancelled',
  [TxStatus.INCONSISTENT]: 'transaction.inconsistent',
};

/** A deposit's refundedAmount grew (a refund or reversal succeeded) or shrank (staff forced one away from SUCCESSFUL). */
export const TRANSACTION_REFUNDED_EVENT = 'transaction.refunded';
export const TRANSACTION_REFUND_REVERTED_EVENT = 'transaction.refund_reverted';

export const WEBHOOK_EVENT_TYPES: readonly string[] = [...Object.values(WEBHOOK_TYPE_BY_STATUS), TRANSACTION_REFUNDED_EVENT, TRANSACTION_REFUND_REVERTED_EVENT];
