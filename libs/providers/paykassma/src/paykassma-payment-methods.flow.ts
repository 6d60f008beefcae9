import { fromMajorString } from '@payhub/common';
import { ProviderMethodsQuery, ProviderPaymentMethod, ResolvedAccount } from '@payhub/providers-core';
import { TxType } from '@payhub/domain';
import { callPaykassma } from './paykassma-http';
import { DEFAULT_ACTIVATION_AMOUNT_WALLETS, DEFAULT_REDIRECT_PAYMENT_SYSTEMS, Json, listSetting, screenshotRequired, settingsOf } from './paykassma-settings';
import { availableWallets } from './paykassma-wallets';

export async function paykassmaPaymentMethods(account: ResolvedAccount, query: ProviderMethodsQuery): Promise<ProviderPaymentMethod[]> {
  if (query.direction !== 'DEPOSIT') return [];
  const s = settingsOf(account);
  // `label` is required; without a customer the list is asked for a neutral one.
  const available = await availableWallets(account, query.currency, query.userId ?? 'payhub-payment-methods');
  if (!available.ok) return [];
  const hints = await mediaHints(account);
  const redirect = listSetting(s.redirectPaymentSystems, DEFAULT_REDIRECT_PAYMENT_SYSTEMS);
  const amountWallets = listSetting(s.activationAmountWalletTypes, DEFAULT_ACTIVATION_AMOUNT_WALLETS);
  const label = query.userId ?? 'payhub-payment-methods';
  const wallets = available.wallets.filter((w) => w.currency_code === query.currency).sort((a, b) => Number(a.order ?? 0) - Number(b.order ?? 0));
  const minimums = await Promise.all(wallets.map((w) => minimumDeposit(account, w.type, query.currency, label)));
  return wallets.map((w, i) => {
    const isManual = w.is_manual === true;
    const bill = w.uploading_payment_bill === true;
    const activation = !redirect.includes(w.type) && !s.paymentWindow;
    const inputFields = activation
      ? [
          { field: 'activation.transactionNumber', required: true },
          { field: 'activation.amount', required: isManual || amountWallets.includes(w.type) },
          { field: 'activation.screenshot', required: screenshotRequired(w.type, isManual, bill) },
        ]
      : w.type === 'bkash_api'
        ? [
            { field: 'wallet.account', required: true },
            { field: 'redirectUrls.success', required: true },
          ]
        : [{ field: 'redirectUrls.success', required: true }];
    return {
      txType: TxType.WalletDeposit,
      service: w.type,
      name: String(w.name ?? w.type),
      currency: w.currency_code,
      logo: typeof w.logo === 'string' ? w.logo : null,
      inputFields,
      minAmount: minimums[i],
      hints: { isManual, uploadingPaymentBill: bill, needsActivation: activation, mediaHint: hints[w.type] ?? hints[w.type.replace(/_.*$/, '')] ?? null },
    };
  });
}

/**
 * `deposit-info`'s `minimum_deposit` (major units): less is kept as savings, not credited, so it is the
 * method's smallest amount. Best effort: no answer states no minimum.
 */
async function minimumDeposit(account: ResolvedAccount, walletType: string, currency: string, label: string): Promise<bigint | null> {
  const info = await callPaykassma(account, {
    method: 'GET',
    path: '/api/v1/deposit-info',
    withSecret: true,
    query: { label, wallet_type: walletType, currency },
  });
  const json = info.result.kind === 'response' ? (info.result.json as Json | undefined) : undefined;
  const minimum = json?.status === 'ok' ? json.minimum_deposit : undefined;
  if (typeof minimum !== 'number' && typeof minimum !== 'string') return null;
  try {
    return fromMajorString(String(minimum), currency);
  } catch {
    return null;
  }
}

/** `wallet-type/images/`: a guide video or image per wallet type; best effort, the list works without it. */
async function mediaHints(account: ResolvedAccount): Promise<Record<string, string>> {
  const exchange = await callPaykassma(account, { method: 'GET', path: '/wallet-type/images/', withSecret: true });
  const json = exchange.result.kind === 'response' ? (exchange.result.json as Json | undefined) : undefined;
  const data = (json?.data ?? {}) as Record<string, { url?: string }>;
  return Object.fromEntries(
    Object.entries(data)
      .filter(([, v]) => typeof v?.url === 'string')
      .map(([k, v]) => [k, v.url as string]),
  );
}
