import { ProviderOutcome, ResolvedAccount, TransactionView } from '@payhub/providers-core';
import { TxStatus, TxType } from '@payhub/domain';
import { callPaykassma } from './paykassma-http';
import { unknownOutcome } from './paykassma-answers';
import { depositFromPull, withdrawalFromPull } from './paykassma-postbacks';
import { depositData, Json, settingsOf } from './paykassma-settings';

export async function paykassmaCheckStatus(tx: TransactionView, account: ResolvedAccount): Promise<ProviderOutcome> {
  const isWithdrawal = tx.txType === TxType.WalletWithdrawal || tx.txType === TxType.BankLocalWithdrawal;
  const exchange = await callPaykassma(account, {
    method: 'GET',
    path: '/api/v1/postback',
    withSecret: true,
    query: isWithdrawal ? { type: 'withdrawal', withdrawal_id: tx.id } : { type: 'deposit', custom_id: tx.id },
  });
  const { result } = exchange;
  if (result.kind !== 'response' || result.status >= 500 || result.json === undefined) return { ...unknownOutcome(exchange), raw: exchange.raw };
  const json = result.json as Json;
  const postback = json.status === 'ok' && json.postback && typeof json.postback === 'object' ? (json.postback as Json) : null;
  const found = postback
    ? isWithdrawal
      ? withdrawalFromPull(postback)
      : depositFromPull(postback, tx, true, settingsOf(account).acceptCreditedAmount === true)
    : null;
  if (found) return { ...found, raw: exchange.raw };
  if (isWithdrawal) return { status: tx.status, raw: exchange.raw };
  return pendingDeposit(tx, account, exchange.raw);
}

/** Not credited yet: an activated deposit waits at the provider (savings below the minimum, a manual check). */
async function pendingDeposit(tx: TransactionView, account: ResolvedAccount, raw: unknown): Promise<ProviderOutcome> {
  const data = depositData(tx);
  if (!data?.activation) return { status: tx.status, raw: { postback: raw } };
  if (!data.walletType) return { status: TxStatus.PROCESSING, raw: { postback: raw } };
  const info = await callPaykassma(account, {
    method: 'GET',
    path: '/api/v1/deposit-info',
    withSecret: true,
    query: { label: data.label, wallet_type: data.walletType, currency: tx.currency },
  });
  const json = info.result.kind === 'response' ? (info.result.json as Json | undefined) : undefined;
  const savings =
    json?.status === 'ok'
      ? { stockpilingSum: json.stockpiling_sum, lacksSum: json.lacks_sum, minimumDeposit: json.minimum_deposit, checkedAt: new Date().toISOString() }
      : null;
  return { status: TxStatus.PROCESSING, providerData: savings ? { paykassmaSavings: savings } : null, raw: { postback: raw, depositInfo: info.raw } };
}
