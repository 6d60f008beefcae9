import { DomainError, ErrorCode } from '@payhub/common';
import { ProviderBalance, ProviderTransactionRecord, ResolvedAccount } from '@payhub/providers-core';
import { ApiResult, describe, interkassaApi, stringOrNull } from './interkassa-api';
import { truncatedMinor } from './interkassa-money';
import { interkassaSettings } from './interkassa-settings';
import { mapCoInvoiceState, mapWithdrawState } from './interkassa-status';

/** The payout purse (GET /purse/{walletId}), for the reconciliation report. */
export async function interkassaBalances(account: ResolvedAccount): Promise<ProviderBalance[]> {
  const s = interkassaSettings(account);
  if (!s.walletId || !s.purseCurrency) {
    throw new DomainError(ErrorCode.PROVIDER_CONFIG_INVALID, 'The Interkassa account needs walletId and purseCurrency for balances', [
      { field: `accounts.${account.name}.${s.walletId ? 'purseCurrency' : 'walletId'}`, issue: 'is required for the purse balance' },
    ]);
  }
  const result = await interkassaApi(account, s, 'GET', `/purse/${encodeURIComponent(s.walletId)}`);
  if (result.kind !== 'ok') throw new DomainError(ErrorCode.PROVIDER_ERROR, `Interkassa purse balance failed: ${describe(result)}`);
  // The documented purse list keys each purse by its id (interkassa-paymentiq-integration.md); the single
  // resource is not shown, so the purse itself is read too, but only when it names the configured purse.
  const keyed = result.data[s.walletId];
  const purse = keyed && typeof keyed === 'object' ? keyed : String(result.data.id ?? '') === s.walletId ? result.data : null;
  if (!purse || typeof purse !== 'object' || (purse as Record<string, unknown>).balance === undefined) {
    throw new DomainError(ErrorCode.PROVIDER_ERROR, `Interkassa's purse answer holds no purse ${s.walletId} with a balance`);
  }
  return [{ currency: s.purseCurrency, amount: truncatedMinor(String((purse as Record<string, unknown>).balance), s.purseCurrency) }];
}

/** Invoices and payouts of the checkout created in [from, to) (co-invoice and withdraw lists by date). */
export async function interkassaTransactions(account: ResolvedAccount, from: Date, to: Date): Promise<ProviderTransactionRecord[]> {
  const s = interkassaSettings(account);
  const range = { fromDate: from.toISOString().slice(0, 10), toDate: to.toISOString().slice(0, 10) };
  const [invoices, payouts] = await Promise.all([
    interkassaApi(account, s, 'GET', `/co-invoice?${new URLSearchParams({ checkoutId: s.checkoutId, ...range })}`),
    s.walletId ? interkassaApi(account, s, 'GET', `/withdraw?${new URLSearchParams({ purseId: s.walletId, ...range })}`) : null,
  ]);
  for (const result of [invoices, payouts]) {
    if (result && result.kind !== 'ok') throw new DomainError(ErrorCode.PROVIDER_ERROR, `Interkassa transaction list failed: ${describe(result)}`);
  }
  const inRange = (created: unknown) => {
    const at = typeof created === 'string' ? Date.parse(`${created.replace(' ', 'T')}Z`) : NaN;
    return Number.isNaN(at) || (at >= from.getTime() && at < to.getTime());
  };
  const records: ProviderTransactionRecord[] = [];
  const items = (r: ApiResult | null) =>
    r?.kind === 'ok' ? Object.values(r.data).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];
  for (const i of items(invoices)) {
    if (!inRange(i.created)) continue;
    // The list's field names are not published: the SCI's short names (am, cur) or long ones (docs/providers/interkassa.md).
    const currency = String(i.cur ?? i.currency ?? '').toUpperCase();
    records.push({
      txId: stringOrNull(i.paymentNo),
      providerTxId: stringOrNull(i.id),
      status: mapCoInvoiceState(String(i.state ?? '')).status,
      amount: truncatedMinor(String(i.am ?? i.amount ?? '0'), currency),
      currency,
    });
  }
  for (const p of items(payouts)) {
    if (!inRange(p.created)) continue;
    const currency = String(p.currencyId ?? '').toUpperCase();
    records.push({
      txId: stringOrNull(p.paymentNo),
      providerTxId: stringOrNull(p.id),
      status: mapWithdrawState(stringOrNull(p.state), stringOrNull(p.stateName)).status,
      amount: truncatedMinor(String(p.amount ?? '0'), currency),
      currency,
    });
  }
  return records;
}
