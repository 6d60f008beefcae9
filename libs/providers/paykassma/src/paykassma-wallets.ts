import { FailureCode } from '@payhub/domain';
import { ResolvedAccount, revealed } from '@payhub/providers-core';
import { callPaykassma } from './paykassma-http';
import { failed, readAnswer } from './paykassma-answers';
import { Json, PaykassmaCaches } from './paykassma-settings';
import { PaykassmaWallet } from './paykassma-wallet-list.cache';

/** The wallet from the cached list when it is there, else from a fresh `payment-systems/available`. */
export async function offeredWallet(ctx: PaykassmaCaches, account: ResolvedAccount, walletType: string, currency: string, label: string) {
  const key = ctx.walletLists.key(account.baseUrls.api ?? '', revealed(account.settings.pluginApiSecret) ?? '', currency);
  const pick = (wallets: PaykassmaWallet[]) => wallets.find((w) => w.type === walletType && w.currency_code === currency);
  const cached = ctx.walletLists.get(key);
  const hit = cached ? pick(cached) : undefined;
  if (hit) return { ok: true as const, wallet: hit, raw: { cached: true } as unknown };
  const available = await availableWallets(account, currency, label);
  if (!available.ok) return available;
  ctx.walletLists.set(key, available.wallets);
  return { ok: true as const, wallet: pick(available.wallets), raw: available.raw as unknown };
}

export async function availableWallets(account: ResolvedAccount, currency: string, label: string) {
  const exchange = await callPaykassma(account, {
    method: 'GET',
    path: '/api/v1/payment-systems/available',
    withSecret: true,
    query: { currency_code: [currency], label },
  });
  const answer = readAnswer(exchange, { nothingCreated: true });
  if (answer.kind !== 'ok')
    return {
      ok: false as const,
      outcome:
        answer.kind === 'fail'
          ? failed(FailureCode.METHOD_UNAVAILABLE, 'Paykassma did not list its payment systems', {}, { notTaken: true, providerMessage: answer.message })
          : answer.outcome,
      raw: exchange.raw,
    };
  const wallets = (((answer.json.params as Json | undefined)?.wallets ?? []) as PaykassmaWallet[]).filter((w) => typeof w.type === 'string');
  return { ok: true as const, wallets, raw: exchange.raw };
}
