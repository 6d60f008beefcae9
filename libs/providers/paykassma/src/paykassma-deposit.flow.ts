import { ErrorDetail, asJsonMajor, toMajorString } from '@payhub/common';
import { DepositRequest, NextAction, ProviderOutcome, ResolvedAccount, revealed } from '@payhub/providers-core';
import { FailureCode, TxStatus } from '@payhub/domain';
import { callPaykassma } from './paykassma-http';
import { failed, invalid, readAnswer } from './paykassma-answers';
import {
  DEFAULT_ACTIVATION_AMOUNT_WALLETS,
  DEFAULT_REDIRECT_PAYMENT_SYSTEMS,
  isGeneric,
  Json,
  listSetting,
  PaykassmaCaches,
  PaykassmaDepositData,
  screenshotRequired,
  settingsOf,
} from './paykassma-settings';
import { UrlHashes } from './paykassma-url-hash.cache';
import { offeredWallet } from './paykassma-wallets';

export async function paykassmaDeposit(ctx: PaykassmaCaches, req: DepositRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
  const s = settingsOf(account);
  const walletType = isGeneric(req.service) ? null : req.service;
  if (s.paymentWindow || !walletType) return windowDeposit(ctx, req, account, walletType);
  if (listSetting(s.redirectPaymentSystems, DEFAULT_REDIRECT_PAYMENT_SYSTEMS).includes(walletType)) return redirectDeposit(req, account, walletType);
  return activationDeposit(ctx, req, account, walletType);
}

async function activationDeposit(ctx: PaykassmaCaches, req: DepositRequest, account: ResolvedAccount, walletType: string): Promise<ProviderOutcome> {
  const s = settingsOf(account);
  const found = await offeredWallet(ctx, account, walletType, req.currency, req.userId);
  if (!found.ok) return { ...found.outcome, raw: { available: found.raw } };
  const wallet = found.wallet;
  if (!wallet) {
    return failed(
      FailureCode.METHOD_UNAVAILABLE,
      `Paykassma offers no ${walletType} for ${req.currency} to this account`,
      { available: found.raw },
      { notTaken: true },
    );
  }
  const create = await callPaykassma(account, {
    method: 'POST',
    path: `/api/v1/transaction/create/${encodeURIComponent(walletType)}`,
    json: { currency: req.currency, label: req.userId },
    withSecret: true,
  });
  const raw = { available: found.raw, create: create.raw };
  const answer = readAnswer(create, { nothingCreated: false });
  if (answer.kind !== 'ok') return { ...answer.outcome, raw, ...(answer.kind === 'fail' ? { notTaken: true } : {}) };
  const details = (answer.json.params ?? {}) as Json;
  const isManual = wallet.is_manual === true;
  const uploadingPaymentBill = wallet.uploading_payment_bill === true;
  const fields = ['transactionNumber'];
  if (isManual || listSetting(s.activationAmountWalletTypes, DEFAULT_ACTIVATION_AMOUNT_WALLETS).includes(walletType)) fields.push('amount');
  if (screenshotRequired(walletType, isManual, uploadingPaymentBill)) fields.push('screenshot');
  const nextAction: NextAction =
    s.depositNextAction === 'DISPLAY_DETAILS'
      ? {
          type: 'DISPLAY_DETAILS',
          details,
          instructions: `Pay to these details, then send the transaction number (${fields.join(', ')}) to POST /v1/deposits/${req.txId}/activation`,
        }
      : { type: 'ACTIVATE', fields, details };
  const data: PaykassmaDepositData = { flow: 'activation', walletType, label: req.userId, isManual, uploadingPaymentBill };
  return { status: TxStatus.WAITING_INPUT, nextAction, providerData: { paykassma: data }, raw };
}

async function redirectDeposit(req: DepositRequest, account: ResolvedAccount, paymentSystem: string): Promise<ProviderOutcome> {
  const s = settingsOf(account);
  const success = req.redirectUrls?.success;
  const failure = req.redirectUrls?.failure;
  const issues: ErrorDetail[] = [];
  if (!success) issues.push({ field: 'redirectUrls.success', issue: `is required for Paykassma ${paymentSystem}` });
  if (!failure) issues.push({ field: 'redirectUrls.failure', issue: `is required for Paykassma ${paymentSystem}` });
  const base = { amount: asJsonMajor(req.amount, req.currency), currency: req.currency, label: req.userId, custom_transaction_id: req.txId };
  let body: Json;
  if (paymentSystem === 'bkash_api') {
    const accountNumber = req.wallet?.account;
    if (!accountNumber || !/^01\d{9}$/.test(accountNumber))
      issues.push({ field: 'wallet.account', issue: 'must be the 11-digit bKash account number starting with 01' });
    // payhub has no cancel URL; a cancelled payment is a failed one to the merchant.
    body = { ...base, account_number: accountNumber, success_url: success, failure_url: failure, cancel_url: failure };
  } else if (paymentSystem === 'nagad_api') {
    body = { ...base, success_url: success, fail_url: failure, cancel_url: failure };
  } else {
    const bank = req.bank?.bankCode ?? req.bank?.name;
    if (!bank) issues.push({ field: 'bank.bankCode', issue: `is required for Paykassma ${paymentSystem}` });
    body = { ...base, language: s.language ?? 'en', bank, redirect_url: success };
  }
  if (issues.length) return invalid(issues);
  const create = await callPaykassma(account, {
    method: 'POST',
    path: `/api/v1/payment/create/${encodeURIComponent(paymentSystem)}`,
    json: body,
    withSecret: true,
  });
  const answer = readAnswer(create, { nothingCreated: false });
  if (answer.kind !== 'ok') return { ...answer.outcome, raw: create.raw };
  const data = (answer.json.data ?? {}) as Json;
  const url = [data.bkashUrl, answer.json.payment_url, data.payment_url, data.url, answer.json.url].find(
    (u): u is string => typeof u === 'string' && /^https?:\/\//.test(u),
  );
  const providerData = { paykassma: { flow: 'redirect', walletType: paymentSystem, label: req.userId } satisfies PaykassmaDepositData };
  const providerTxId = typeof data.orderId === 'string' ? data.orderId : null;
  // The generic `payment/create` answers a bare "ok": the PS redirects through `redirect_url` itself.
  if (!url) return { status: TxStatus.PROCESSING, providerTxId, providerData, raw: create.raw };
  return { status: TxStatus.WAITING_INPUT, providerTxId, nextAction: { type: 'REDIRECT', url, method: 'GET', params: {} }, providerData, raw: create.raw };
}

async function windowDeposit(ctx: PaykassmaCaches, req: DepositRequest, account: ResolvedAccount, walletType: string | null): Promise<ProviderOutcome> {
  const s = settingsOf(account);
  if (!s.pluginUrl)
    return failed(FailureCode.METHOD_UNAVAILABLE, 'The Paykassma payment window is not configured for this account (pluginUrl)', {}, { notTaken: true });
  const major = toMajorString(req.amount, req.currency);
  if (!/^\d+(\.0+)?$/.test(major)) return invalid([{ field: 'amount', issue: `the Paykassma payment window takes whole ${req.currency} amounts` }]);
  const raw: Json = {};
  const params = new URLSearchParams({
    label: req.userId,
    currency_code: req.currency,
    lang: s.language ?? 'en',
    ...(walletType ? { wallet_type: walletType } : {}),
    custom_transaction_id: req.txId,
    fixed_amount: major.replace(/\.0+$/, ''),
  });
  const ids = { payment_url_success_id: s.paymentUrlSuccessId, payment_url_fail_id: s.paymentUrlFailId, payment_url_pending_id: s.paymentUrlPendingId };
  if (ids.payment_url_success_id || ids.payment_url_fail_id || ids.payment_url_pending_id) {
    for (const [k, v] of Object.entries(ids)) if (v) params.set(k, v);
  } else if (req.redirectUrls && (req.redirectUrls.success || req.redirectUrls.failure)) {
    const hashed = await paykassmaUrlHashes(ctx, account, {
      success: req.redirectUrls.success,
      fail: req.redirectUrls.failure,
      pending: req.redirectUrls.pending,
    });
    raw.hashUrl = hashed.raw;
    if (!hashed.hashes) return failed(FailureCode.PROVIDER_ERROR, 'Paykassma did not hash the redirect URLs', raw, { notTaken: true });
    if (hashed.hashes.success) params.set('success_url', hashed.hashes.success);
    if (hashed.hashes.fail) params.set('fail_url', hashed.hashes.fail);
    if (hashed.hashes.pending) params.set('pending_url', hashed.hashes.pending);
  }
  const url = `${s.pluginUrl}${s.pluginUrl.includes('?') ? '&' : '?'}${params.toString()}`;
  return {
    status: TxStatus.WAITING_INPUT,
    nextAction: { type: 'REDIRECT', url, method: 'GET', params: {} },
    providerData: { paykassma: { flow: 'window', walletType, label: req.userId } satisfies PaykassmaDepositData },
    raw: { ...raw, windowUrl: url },
  };
}

/** `payment-plugin/hash-url`, cached per account and URL set for less than the hashes' one-day life. */
export async function paykassmaUrlHashes(
  ctx: PaykassmaCaches,
  account: ResolvedAccount,
  urls: { success?: string; fail?: string; pending?: string },
): Promise<{ hashes: UrlHashes | null; raw: unknown }> {
  const key = ctx.hashes.key(account.baseUrls.api ?? '', revealed(account.settings.pluginApiSecret) ?? '', urls);
  const cached = ctx.hashes.get(key);
  if (cached) return { hashes: cached, raw: { cached: true } };
  const list = (url?: string) => (url ? [{ order: 1, url }] : []);
  const exchange = await callPaykassma(account, {
    method: 'POST',
    path: '/payment-plugin/hash-url',
    withSecret: true,
    json: { success_urls: list(urls.success), fail_urls: list(urls.fail), pending_urls: list(urls.pending) },
  });
  const answer = readAnswer(exchange, { nothingCreated: true });
  if (answer.kind !== 'ok') return { hashes: null, raw: exchange.raw };
  const got = (answer.json.urls ?? {}) as Record<string, Array<{ order: number; url: string }>>;
  const first = (name: string) => (Array.isArray(got[name]) ? (got[name].find((u) => u.order === 1)?.url ?? got[name][0]?.url) : undefined);
  const hashes: UrlHashes = { success: first('success_url'), fail: first('fail_url'), pending: first('pending_url') };
  ctx.hashes.set(key, hashes);
  return { hashes, raw: exchange.raw };
}
