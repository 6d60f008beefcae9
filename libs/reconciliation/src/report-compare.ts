import type { ProviderBalance, ProviderTransactionRecord } from '@payhub/providers-core';
import { isFinal, TxStatus } from '@payhub/transactions';

export interface PayhubTxRecord {
  id: string;
  providerTxId: string | null;
  status: TxStatus;
  amount: bigint;
  currency: string;
}

export type Mismatch =
  | { kind: 'missing_in_payhub'; providerTxId: string | null; txId: string | null; providerStatus: TxStatus; amount: string; currency: string }
  | { kind: 'missing_at_provider'; txId: string; providerTxId: string | null; payhubStatus: TxStatus; amount: string; currency: string }
  | { kind: 'status_mismatch'; txId: string; providerTxId: string | null; payhubStatus: TxStatus; providerStatus: TxStatus }
  | { kind: 'amount_mismatch'; txId: string; providerTxId: string | null; payhub: string; provider: string; payhubCurrency: string; providerCurrency: string }
  | { kind: 'balance_mismatch'; currency: string; payhub: string; provider: string; difference: string };

export interface BalanceLine {
  currency: string;
  provider: string | null;
  payhub: string;
  difference: string | null;
}

/**
 * Matches the provider's list to payhub's by payhub id, else provider id. `payhubInWindow` are payhub's
 * transactions of the day; `payhubByRef` also holds older ones the provider's list points at.
 */
export function compareTransactions(provider: ProviderTransactionRecord[], payhubInWindow: PayhubTxRecord[], payhubByRef: PayhubTxRecord[]): Mismatch[] {
  const byId = new Map<string, PayhubTxRecord>();
  const byProviderId = new Map<string, PayhubTxRecord>();
  for (const tx of [...payhubByRef, ...payhubInWindow]) {
    byId.set(tx.id, tx);
    if (tx.providerTxId) byProviderId.set(tx.providerTxId, tx);
  }
  const mismatches: Mismatch[] = [];
  const seen = new Set<string>();
  for (const record of provider) {
    const tx = (record.txId ? byId.get(record.txId) : undefined) ?? (record.providerTxId ? byProviderId.get(record.providerTxId) : undefined);
    if (!tx) {
      mismatches.push({
        kind: 'missing_in_payhub',
        providerTxId: record.providerTxId,
        txId: record.txId,
        providerStatus: record.status,
        amount: record.amount.toString(),
        currency: record.currency,
      });
      continue;
    }
    seen.add(tx.id);
    // Two unfinished statuses are the same story told at different moments; only a final one can contradict.
    if (tx.status !== record.status && (isFinal(tx.status) || isFinal(record.status))) {
      mismatches.push({
        kind: 'status_mismatch',
        txId: tx.id,
        providerTxId: tx.providerTxId ?? record.providerTxId,
        payhubStatus: tx.status,
        providerStatus: record.status,
      });
    }
    if (tx.amount !== record.amount || tx.currency !== record.currency) {
      mismatches.push({
        kind: 'amount_mismatch',
        txId: tx.id,
        providerTxId: tx.providerTxId ?? record.providerTxId,
        payhub: tx.amount.toString(),
        provider: record.amount.toString(),
        payhubCurrency: tx.currency,
        providerCurrency: record.currency,
      });
    }
  }
  for (const tx of payhubInWindow) {
    if (!seen.has(tx.id) && tx.status === TxStatus.SUCCESSFUL) {
      mismatches.push({
        kind: 'missing_at_provider',
        txId: tx.id,
        providerTxId: tx.providerTxId,
        payhubStatus: tx.status,
        amount: tx.amount.toString(),
        currency: tx.currency,
      });
    }
  }
  return mismatches;
}

/** payhub's side is the net of its successful money movements at the account (deposits in, the rest out). */
export function compareBalances(provider: ProviderBalance[], payhubNet: ReadonlyMap<string, bigint>): { lines: BalanceLine[]; mismatches: Mismatch[] } {
  const currencies = [...new Set([...provider.map((b) => b.currency), ...payhubNet.keys()])].sort();
  const lines: BalanceLine[] = [];
  const mismatches: Mismatch[] = [];
  for (const currency of currencies) {
    const theirs = provider.find((b) => b.currency === currency)?.amount ?? null;
    const ours = payhubNet.get(currency) ?? 0n;
    const difference = theirs === null ? null : theirs - ours;
    lines.push({ currency, provider: theirs?.toString() ?? null, payhub: ours.toString(), difference: difference?.toString() ?? null });
    if (difference === null ? ours !== 0n : difference !== 0n) {
      mismatches.push({
        kind: 'balance_mismatch',
        currency,
        payhub: ours.toString(),
        provider: theirs?.toString() ?? 'unknown',
        difference: difference?.toString() ?? 'unknown',
      });
    }
  }
  return { lines, mismatches };
}
