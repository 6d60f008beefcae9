/**
 * What a deposit can give back in total: what the provider settled when it settled another amount than
 * requested, else the amount. The one definition; the refund use case, the state machine and the DB
 * CHECK `ck_transactions_refunded` (migration 1795279202000) all say the same.
 */
export function refundCeiling(tx: { amount: bigint; settledAmount: bigint | null }): bigint {
  return tx.settledAmount ?? tx.amount;
}
