import type { TransactionView } from '@payhub/providers-core';
import type { TransactionEntity } from '@payhub/transactions';

export function toTransactionView(tx: TransactionEntity): TransactionView {
  return {
    id: tx.id,
    merchantId: tx.merchantId,
    merchantTxId: tx.merchantTxId,
    txType: tx.txType,
    service: tx.service,
    status: tx.status,
    amount: tx.amount,
    currency: tx.currency,
    provider: tx.provider ?? '',
    providerAccount: tx.providerAccount ?? '',
    providerTxId: tx.providerTxId,
    parentId: tx.parentId,
    createdAt: tx.createdAt,
    providerData: tx.providerData,
  };
}
