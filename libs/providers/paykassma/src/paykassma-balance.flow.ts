import { DomainError, ErrorCode } from '@payhub/common';
import { ProviderBalance, ResolvedAccount } from '@payhub/providers-core';
import { callPaykassma } from './paykassma-http';
import { nanoToMinor, toNano } from './paykassma-media';
import { Json } from './paykassma-settings';

export async function paykassmaBalances(account: ResolvedAccount): Promise<ProviderBalance[]> {
  const exchange = await callPaykassma(account, { method: 'GET', path: '/api/v1/accounts-balance', withSecret: true });
  const json = exchange.result.kind === 'response' ? (exchange.result.json as Json | undefined) : undefined;
  const balances = ((json?.data as Json | undefined)?.balances ?? null) as Array<{ currency_code: string; amount: number | string }> | null;
  if (!Array.isArray(balances))
    throw new DomainError(ErrorCode.PROVIDER_ERROR, `Paykassma accounts-balance did not answer: ${JSON.stringify(exchange.raw.response).slice(0, 300)}`);
  // Balances are summed over wallet types per currency, exactly (1e-8 units), then rounded once to minor units.
  const totals = new Map<string, bigint>();
  for (const b of balances) totals.set(b.currency_code, (totals.get(b.currency_code) ?? 0n) + toNano(b.amount));
  return [...totals.entries()].map(([currency, nano]) => ({ currency, amount: nanoToMinor(nano, currency) }));
}
