import { ProviderOutcome, ResolvedAccount, TransactionView } from '@payhub/providers-core';
import { TxStatus, TxType } from '@payhub/domain';
import { callPaykassma } from './paykassma-http';
import { depositFromPull, withdrawalFromPull } from './paykassma-postbacks';
import { depositData, Json, settingsOf } from './paykassma-settings';

const PULL_BATCH = 50;

/** `pullpostbacks` for many transactions at once (reconciliation), one call per type and batch. */
export async function paykassmaCheckStatusBatch(txs: TransactionView[], account: ResolvedAccount): Promise<Map<string, ProviderOutcome>> {
  const outcomes = new Map<string, ProviderOutcome>();
  const isWithdrawal = (tx: TransactionView) => tx.txType === TxType.WalletWithdrawal || tx.txType === TxType.BankLocalWithdrawal;
  for (const [type, group] of [
    ['deposit', txs.filter((t) => !isWithdrawal(t))],
    ['withdrawal', txs.filter(isWithdrawal)],
  ] as const) {
    for (let i = 0; i < group.length; i += PULL_BATCH) {
      const batch = group.slice(i, i + PULL_BATCH);
      const exchange = await callPaykassma(account, {
        method: 'GET',
        path: '/api/v1/pullpostbacks',
        withSecret: true,
        query: type === 'deposit' ? { type, plugin_custom_order_id: batch.map((t) => t.id) } : { type, withdrawal_id: batch.map((t) => t.id) },
      });
      const json = exchange.result.kind === 'response' ? (exchange.result.json as Json | undefined) : undefined;
      const data = (json?.data ?? {}) as Json;
      const rows = (type === 'deposit' ? data.transactions : data.withdrawals) as Json[] | undefined;
      if (!Array.isArray(rows)) continue;
      for (const tx of batch) {
        const row = rows.find((r) => String(type === 'deposit' ? r.plugin_custom_order_id : r.withdrawal_id) === tx.id);
        const postback = row?.postback && typeof row.postback === 'object' ? (row.postback as Json) : null;
        const found = postback
          ? type === 'deposit'
            ? depositFromPull(postback, tx, false, settingsOf(account).acceptCreditedAmount === true)
            : withdrawalFromPull(postback)
          : null;
        if (found) outcomes.set(tx.id, { ...found, raw: { pullpostbacks: exchange.raw, row } });
        else if (row)
          outcomes.set(tx.id, {
            status: type === 'deposit' && depositData(tx)?.activation ? TxStatus.PROCESSING : tx.status,
            raw: { pullpostbacks: exchange.raw, row },
          });
      }
    }
  }
  return outcomes;
}
