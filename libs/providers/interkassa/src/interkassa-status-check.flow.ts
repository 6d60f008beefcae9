import { TxType } from '@payhub/domain';
import { ProviderOutcome, ResolvedAccount, TransactionView } from '@payhub/providers-core';
import { describe, findByPaymentNo, interkassaApi, stringOrNull } from './interkassa-api';
import { reportedMoney } from './interkassa-money';
import { interkassaSettings } from './interkassa-settings';
import { mapCoInvoiceState, mapRefundInvoiceState, mapWithdrawState } from './interkassa-status';
import { inconsistent } from './interkassa-outcomes';

/** Where Interkassa says a transaction stands: the co-invoice (deposit, refund) or the payout, by id or by paymentNo. */
export async function interkassaCheckStatus(tx: TransactionView, account: ResolvedAccount): Promise<ProviderOutcome> {
  const s = interkassaSettings(account);
  if (tx.txType === TxType.Refund || tx.txType === TxType.Reversal) {
    const invoiceId = stringOrNull(tx.providerData?.invoiceId);
    if (!invoiceId) return inconsistent('The refund does not name its Interkassa invoice', {});
    const result = await interkassaApi(account, s, 'GET', `/co-invoice/${encodeURIComponent(invoiceId)}`);
    if (result.kind !== 'ok') return inconsistent(`Status check failed: ${describe(result)}`, result.raw);
    return { ...mapRefundInvoiceState(String(result.data.state ?? '')), raw: result.raw };
  }
  if (tx.txType === TxType.CreditcardWithdrawal || tx.txType === TxType.WalletWithdrawal || tx.txType === TxType.BankLocalWithdrawal) {
    const found = tx.providerTxId
      ? await interkassaApi(account, s, 'GET', `/withdraw/${encodeURIComponent(tx.providerTxId)}`)
      : await findByPaymentNo(account, s, `/withdraw?${new URLSearchParams({ paymentNo: tx.id, purseId: s.walletId ?? '' })}`, tx.id);
    if (found.kind !== 'ok') return inconsistent(`Status check failed: ${describe(found)}`, found.raw);
    const payoutId = stringOrNull(found.data.id) ?? tx.providerTxId;
    return { ...mapWithdrawState(stringOrNull(found.data.state), stringOrNull(found.data.stateName)), providerTxId: payoutId, raw: found.raw };
  }
  const found = tx.providerTxId
    ? await interkassaApi(account, s, 'GET', `/co-invoice/${encodeURIComponent(tx.providerTxId)}`)
    : await findByPaymentNo(account, s, `/co-invoice?${new URLSearchParams({ checkoutId: s.checkoutId, paymentNo: tx.id })}`, tx.id);
  if (found.kind !== 'ok') return inconsistent(`Status check failed: ${describe(found)}`, found.raw);
  const invoiceId = stringOrNull(found.data.id) ?? tx.providerTxId;
  const mapped = mapCoInvoiceState(String(found.data.state ?? ''));
  return {
    ...mapped,
    ...reportedMoney(stringOrNull(found.data.am ?? found.data.amount), stringOrNull(found.data.cur ?? found.data.currency), tx.currency),
    providerTxId: invoiceId,
    providerData: invoiceId ? { invoiceId } : null,
    raw: found.raw,
  };
}
