import { toMajorString } from '@payhub/common';
import { TxStatus } from '@payhub/domain';
import { ProviderOutcome, RefundRequest, ResolvedAccount } from '@payhub/providers-core';
import { interkassaApi, stringOrNull } from './interkassa-api';
import { interkassaSettings } from './interkassa-settings';
import { inconsistent, notSent, refusedBeforeSending, refusedByProvider } from './interkassa-outcomes';

/** Refund or reversal through POST /refund (the invoice id, the amount, payhub id as merchantOrderId); PROCESSING until the invoice says refunded. */
export async function refundInvoice(req: RefundRequest, account: ResolvedAccount, kind: 'refund' | 'reversal'): Promise<ProviderOutcome> {
  const s = interkassaSettings(account);
  const invoiceId = req.parent.providerTxId;
  if (!invoiceId) return refusedBeforeSending('The deposit has no Interkassa invoice id to refund');
  const form = {
    id: invoiceId,
    amount: toMajorString(req.amount, req.currency),
    merchantOrderId: req.txId,
    description: `${kind} of ${req.parent.merchantTxId}`.slice(0, 255),
  };
  const result = await interkassaApi(account, s, 'POST', '/refund', form);
  if (result.kind === 'not_sent') return notSent(result.reason, result.raw, result.unconfigured);
  if (result.kind === 'unknown') return inconsistent(result.reason, result.raw, undefined, { invoiceId });
  if (result.kind === 'refused') return refusedByProvider(`Interkassa refused the ${kind}`, result, s);
  // Accepted is not refunded: the invoice goes through state 4 (refund in progress) before 9 (refunded),
  // and the answer states neither (NOTES §1.5). The status check settles it.
  return { status: TxStatus.PROCESSING, providerTxId: stringOrNull(result.data.id), providerData: { invoiceId }, raw: result.raw };
}
