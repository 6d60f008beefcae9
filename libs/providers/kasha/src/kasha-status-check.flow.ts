import { ProviderOutcome, ResolvedAccount, TransactionView } from '@payhub/providers-core';
import { FailureCode, TxStatus, TxType } from '@payhub/domain';
import { str, unknown, unwrap } from './kasha-answers';
import { KashaHttp } from './kasha-http';
import type { KashaSettings } from './kasha-settings';
import { isDeposit, KASHA_EXPIRED_SESSION, kashaStatusOf, mapKashaStatus, reportedMoney, sessionExpired } from './kasha-status';
import { KASHA_CALLS_PER_PAYMENT } from './kasha-session.flow';

/** Where Kasha says the transaction stands. A status check never fails a payment for a transport error. */
export async function kashaCheckStatus(tx: TransactionView, account: ResolvedAccount): Promise<ProviderOutcome> {
  const http = new KashaHttp(account);
  const data = tx.providerData ?? {};
  const kashaId = tx.txType === TxType.Refund ? (str(data.refundOf) ?? tx.providerTxId) : tx.providerTxId;
  if (!kashaId && tx.status === TxStatus.REGISTERED && Date.now() - new Date(tx.createdAt).getTime() < KASHA_CALLS_PER_PAYMENT * account.timeoutMs + 1000) {
    // Kasha notifies before it answers direct-payment, so a notice can find payhub's own call still in
    // flight: that call's answer settles the payment. Only a payment past every call's timeout is unknown.
    return { status: TxStatus.REGISTERED, raw: { note: "payhub's request to Kasha is still in flight; its answer settles the payment" } };
  }
  if (!kashaId) {
    return {
      status: TxStatus.INCONSISTENT,
      failure: { code: FailureCode.PROVIDER_ERROR, reason: 'No Kasha transaction id is known; staff must resolve it', providerMessage: null },
      raw: { note: 'no Kasha transaction id to ask about' },
    };
  }
  const answer = await http.get('transaction-status', http.paths.transactionStatus.replace('{transactionId}', encodeURIComponent(kashaId)));
  const expired = sessionExpired(tx);
  if (answer.kind !== 'response' || answer.status >= 500 || answer.status === 401 || answer.status === 403) {
    return unknown(
      { raw: http.raw() },
      answer.kind === 'response' ? `Kasha answered the status check with HTTP ${answer.status}` : `no answer from Kasha (${answer.kind})`,
    );
  }
  const expireAfterSession = (account.settings as KashaSettings).pendingAfterSessionExpiry === 'expire';
  if (answer.status === 404) {
    if (expired && isDeposit(tx) && expireAfterSession) return { ...KASHA_EXPIRED_SESSION, providerData: { kashaStatus: null }, raw: http.raw() };
    return unknown({ raw: http.raw() }, 'Kasha does not know the transaction');
  }
  const json = unwrap(answer.json);
  const kashaStatus = json ? kashaStatusOf(json) : undefined;
  if (!json || !kashaStatus) return unknown({ raw: http.raw() }, "Kasha's status answer holds no status");
  const mapped = mapKashaStatus(kashaStatus, { tx, json, sessionExpired: expired, expireAfterSession });
  return {
    ...mapped,
    ...(mapped.status === TxStatus.SUCCESSFUL && tx.txType !== TxType.Refund ? reportedMoney(json, tx.currency) : {}),
    providerData: { kashaStatus },
    raw: http.raw(),
  };
}
