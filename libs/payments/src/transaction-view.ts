import type { PaymentRequestBase, TransactionView } from '@payhub/providers-core';
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
    settledAmount: tx.settledAmount,
    currency: tx.currency,
    provider: tx.provider ?? '',
    providerAccount: tx.providerAccount ?? '',
    providerTxId: tx.providerTxId,
    parentId: tx.parentId,
    createdAt: tx.createdAt,
    providerData: tx.providerData,
  };
}

/** What every provider request says about the stored transaction, and where the provider calls back. */
export function requestBase(tx: TransactionEntity, publicUrl: string): Omit<PaymentRequestBase, 'routing'> {
  return {
    txId: tx.id,
    merchantId: tx.merchantId,
    merchantTxId: tx.merchantTxId,
    userId: tx.userId,
    txType: tx.txType,
    service: tx.service,
    amount: tx.amount,
    currency: tx.currency,
    country: tx.country,
    callbackUrl: `${publicUrl}/callbacks/${tx.provider}/${tx.id}`,
  };
}
