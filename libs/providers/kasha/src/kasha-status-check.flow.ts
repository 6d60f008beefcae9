import { ProviderOutcome, ResolvedAccount, TransactionView } from '@payhub/providers-core';
import { FailureCode, TxStatus, TxType } from '@payhub/domain';
import { str, unknown, unwrap } from './kasha-answers';
import { KashaHttp } from './kasha-http';
import type { KashaSettings } from './kasha-settings';
import { isDeposit, KASHA_EXPIRED_SESSION, kashaStatusOf, mapKashaStatus, reportedMoney, sessionExpired } from './kasha-status';

/** Where Kasha says the transaction stands. A status check never fails a payment for a transport error. */
export async function kashaCheckStatus(tx: TransactionView, account: ResolvedAccount): Promise<ProviderOutcome> {
  const http = new KashaHttp(account);
  const data = tx.providerData ?? {};
  const kashaId = tx.txType === TxType.Refund ? (str(data.refundOf) ?? tx.providerTxId) : tx.providerTxId;
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
