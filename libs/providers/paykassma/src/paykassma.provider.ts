import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode, ErrorDetail, fromMajorString, asJsonMajor, toMajorString } from '@payhub/common';
import {
  AccountLookup,
  ActivationRequest,
  DepositRequest,
  NextAction,
  PaymentProvider,
  PaymentProviderAdapter,
  ProviderBalance,
  ProviderInputField,
  revealed,
  ProviderMethodsQuery,
  ProviderOutcome,
  ProviderPaymentMethod,
  RawCallback,
  ResolvedAccount,
  TransactionView,
  VerifiedCallback,
  WithdrawalRequest,
} from '@payhub/providers-core';
import { FailureCode, GENERIC_SERVICES, TxStatus, TxType } from '@payhub/domain';
import { PAYKASSMA_CONFIG_DESCRIPTOR } from './paykassma-account.schema';
import { callPaykassma, PaykassmaExchange, PaykassmaRequest } from './paykassma-http';
import { verifyPostbackSignature, withdrawalSignature } from './paykassma-signature';
import { PaykassmaUrlHashCache, UrlHashes } from './paykassma-url-hash.cache';
import { PaykassmaWallet, PaykassmaWalletListCache } from './paykassma-wallet-list.cache';
import { checkWithdrawalBody, parseRequiredFieldOverrides, withdrawalBody, withdrawalInputFields } from './paykassma-withdrawal';
import { PhpAssoc, PhpValue, parsePhpJson, phpJsonEncode } from './php-json';
import { failed, invalid, messageOf, readAnswer, unknownOutcome } from './paykassma-answers';
import { decodeScreenshot, nanoToMinor, toNano } from './paykassma-media';
import { depositFromPull, depositOutcome, plain, withdrawalFromPull, withdrawalOutcome } from './paykassma-postbacks';

export const PAYKASSMA = 'paykassma';
const DEFAULT_REDIRECT_PAYMENT_SYSTEMS = ['bkash_api', 'nagad_api'];
const DEFAULT_ACTIVATION_AMOUNT_WALLETS = ['upi_p2p', 'phone_pe'];
/** Transaction-number formats the documents give per PS (Itau Paraguay: 6 to 10 digits). */
const KEY1_FORMATS: Record<string, { pattern: RegExp; issue: string }> = {
  itau_ml: { pattern: /^\d{6,10}$/, issue: 'must be 6 to 10 digits (Itau transaction number)' },
};
/** Wallet types whose manual makes the payment screenshot mandatory (Itau Paraguay manual), whatever the list says. */
const SCREENSHOT_WALLETS = ['itau_ml'];
const PULL_BATCH = 50;
const OK_ANSWER = { status: 200, body: '{"status":"ok"}', contentType: 'application/json' };

interface Settings {
  pluginApiSecret: string;
  withdrawalPrivateKey?: string;
  postbackAccessKey: string;
  postbackPrivateKey: string;
  redirectPaymentSystems?: string;
  activationAmountWalletTypes?: string;
  acceptCreditedAmount?: boolean;
  paymentWindow?: boolean;
  pluginUrl?: string;
  language?: string;
  paymentUrlSuccessId?: string;
  paymentUrlFailId?: string;
  paymentUrlPendingId?: string;
  possibleTransactionEncoding?: 'multipart' | 'json';
  depositNextAction?: 'ACTIVATE' | 'DISPLAY_DETAILS';
  withdrawalRequiredFields?: string;
}

/** What the adapter keeps on a deposit (`providerData`) to activate and settle it later. */
interface DepositData {
  flow: 'activation' | 'redirect' | 'window';
  walletType?: string | null;
  label: string;
  isManual?: boolean;
  uploadingPaymentBill?: boolean;
  activation?: { transactionNumber: string; answer: string; at: string };
}

type Json = Record<string, unknown>;

/**
 * Paykassma (paykassma-api.md, the Itau Paraguay manual, NOTES §2). Deposits follow one of three
 * flows: activation (`transaction/create` then the customer's transaction number), redirect
 * (`payment/create`, bkash_api / nagad_api) or the payment window (plugin URL). Every result arrives as
 * a signed postback; `postback` / `pullpostbacks` settle what a postback did not.
 */
@PaymentProviderAdapter()
@Injectable()
export class PaykassmaProvider implements PaymentProvider {
  readonly id = PAYKASSMA;
  readonly configDescriptor = PAYKASSMA_CONFIG_DESCRIPTOR;
  private readonly logger = new Logger(PaykassmaProvider.name);

  constructor(
    private readonly hashes: PaykassmaUrlHashCache,
    private readonly walletLists: PaykassmaWalletListCache,
  ) {}

  /** Withdrawal fields each payment system requires, and whole amounts, checked before payhub stores it. */
  validate(req: DepositRequest | WithdrawalRequest, account: ResolvedAccount): ErrorDetail[] {
    if (req.txType !== TxType.WalletWithdrawal && req.txType !== TxType.BankLocalWithdrawal) return [];
    if (!req.service || isGeneric(req.service))
      return [{ field: 'service', issue: 'must name the Paykassma payment system (e.g. paytm, bkash, imps_ib, itau_ml)' }];
    if (!/^\d+(\.0+)?$/.test(toMajorString(req.amount, req.currency)))
      return [{ field: 'amount', issue: `Paykassma withdrawals take whole ${req.currency} amounts` }];
    return checkWithdrawalBody(
      withdrawalBody(req, account.testMode, account.descriptor),
      parseRequiredFieldOverrides(settingsOf(account).withdrawalRequiredFields),
    );
  }

  /**
   * Payouts: the payment system's required fields (the document's table, the account's overrides).
   * Deposits: a redirect PS's fields; an activation deposit needs nothing more at creation (its
   * activation fields come with the live list).
   */
  inputFields(method: { txType: TxType; service: string | null }, account: ResolvedAccount): ProviderInputField[] {
    const s = settingsOf(account);
    const ps = method.service ?? '';
    if (method.txType === TxType.WalletWithdrawal || method.txType === TxType.BankLocalWithdrawal) {
      return withdrawalInputFields(
        ps,
        method.txType === TxType.BankLocalWithdrawal ? 'bank' : 'wallet',
        parseRequiredFieldOverrides(s.withdrawalRequiredFields),
      );
    }
    if (s.paymentWindow || isGeneric(ps) || !listSetting(s.redirectPaymentSystems, DEFAULT_REDIRECT_PAYMENT_SYSTEMS).includes(ps)) return [];
    if (ps === 'bkash_api')
      return [
        { field: 'wallet.account', required: true },
        { field: 'redirectUrls.success', required: true },
        { field: 'redirectUrls.failure', required: true },
      ];
    if (ps === 'nagad_api')
      return [
        { field: 'redirectUrls.success', required: true },
        { field: 'redirectUrls.failure', required: true },
      ];
    return [
      { field: 'bank.bankCode', required: true },
      { field: 'redirectUrls.success', required: true },
      { field: 'redirectUrls.failure', required: true },
    ];
  }

  supports(txType: TxType): boolean {
    return [TxType.WalletDeposit, TxType.BankDeposit, TxType.WalletWithdrawal, TxType.BankLocalWithdrawal].includes(txType);
  }

  async deposit(req: DepositRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    const s = settingsOf(account);
    const walletType = isGeneric(req.service) ? null : req.service;
    if (s.paymentWindow || !walletType) return this.windowDeposit(req, account, walletType);
    if (listSetting(s.redirectPaymentSystems, DEFAULT_REDIRECT_PAYMENT_SYSTEMS).includes(walletType)) return this.redirectDeposit(req, account, walletType);
    return this.activationDeposit(req, account, walletType);
  }

  private async activationDeposit(req: DepositRequest, account: ResolvedAccount, walletType: string): Promise<ProviderOutcome> {
    const s = settingsOf(account);
    const found = await this.offeredWallet(account, walletType, req.currency, req.userId);
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
    const data: DepositData = { flow: 'activation', walletType, label: req.userId, isManual, uploadingPaymentBill };
    return { status: TxStatus.WAITING_INPUT, nextAction, providerData: { paykassma: data }, raw };
  }

  private async redirectDeposit(req: DepositRequest, account: ResolvedAccount, paymentSystem: string): Promise<ProviderOutcome> {
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
    const providerData = { paykassma: { flow: 'redirect', walletType: paymentSystem, label: req.userId } satisfies DepositData };
    const providerTxId = typeof data.orderId === 'string' ? data.orderId : null;
    // The generic `payment/create` answers a bare "ok": the PS redirects through `redirect_url` itself.
    if (!url) return { status: TxStatus.PROCESSING, providerTxId, providerData, raw: create.raw };
    return { status: TxStatus.WAITING_INPUT, providerTxId, nextAction: { type: 'REDIRECT', url, method: 'GET', params: {} }, providerData, raw: create.raw };
  }

  private async windowDeposit(req: DepositRequest, account: ResolvedAccount, walletType: string | null): Promise<ProviderOutcome> {
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
      const hashed = await this.urlHashes(account, { success: req.redirectUrls.success, fail: req.redirectUrls.failure, pending: req.redirectUrls.pending });
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
      providerData: { paykassma: { flow: 'window', walletType, label: req.userId } satisfies DepositData },
      raw: { ...raw, windowUrl: url },
    };
  }

  /** `payment-plugin/hash-url`, cached per account and URL set for less than the hashes' one-day life. */
  async urlHashes(account: ResolvedAccount, urls: { success?: string; fail?: string; pending?: string }): Promise<{ hashes: UrlHashes | null; raw: unknown }> {
    const key = this.hashes.key(account.baseUrls.api ?? '', revealed(account.settings.pluginApiSecret) ?? '', urls);
    const cached = this.hashes.get(key);
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
    this.hashes.set(key, hashes);
    return { hashes, raw: exchange.raw };
  }

  async activate(req: ActivationRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    const s = settingsOf(account);
    const data = depositData(req.tx);
    if (!data || data.flow !== 'activation' || !data.walletType) {
      throw new DomainError(ErrorCode.OPERATION_NOT_SUPPORTED, 'This deposit was not created for activation');
    }
    const walletType = data.walletType;
    const issues: ErrorDetail[] = [];
    const key1 = req.transactionNumber;
    if (!key1 || key1 !== key1.trim() || key1.length > 190)
      issues.push({ field: 'transactionNumber', issue: 'must be 1-190 characters without surrounding spaces' });
    const format = KEY1_FORMATS[walletType];
    if (format && !format.pattern.test(key1)) issues.push({ field: 'transactionNumber', issue: format.issue });
    const amountRequired = data.isManual || listSetting(s.activationAmountWalletTypes, DEFAULT_ACTIVATION_AMOUNT_WALLETS).includes(walletType);
    if (amountRequired && (req.amount === undefined || req.amount === null))
      issues.push({ field: 'amount', issue: `is required to activate a ${walletType} deposit` });
    const screenshot = req.screenshot ? decodeScreenshot(req.screenshot) : null;
    if (req.screenshot && !screenshot) issues.push({ field: 'screenshot', issue: 'must be a base64 PNG, JPEG, GIF, WebP or PDF' });
    if (screenshotRequired(walletType, data.isManual, data.uploadingPaymentBill) && !req.screenshot)
      issues.push({ field: 'screenshot', issue: `is required to activate a ${walletType} deposit` });
    if (issues.length) throw DomainError.validation(issues);

    const amount = req.amount === undefined || req.amount === null ? undefined : toMajorString(req.amount, req.tx.currency);
    const amountNumber = req.amount === undefined || req.amount === null ? undefined : asJsonMajor(req.amount, req.tx.currency);
    let exchange: PaykassmaExchange;
    if (!data.isManual) {
      exchange = await callPaykassma(account, {
        method: 'POST',
        path: '/api/v1/transaction/activate',
        withSecret: true,
        json: {
          currency_code: req.tx.currency,
          wallet_type: walletType,
          label: data.label,
          key1,
          ...(amountNumber !== undefined ? { amount: amountNumber } : {}),
          custom_transaction_id: req.tx.id,
        },
      });
    } else {
      // The API page names the order id `custom_id`, the Itau manual `custom_transaction_id`: both are sent.
      const fields = {
        currency_code: req.tx.currency,
        wallet_type: walletType,
        label: data.label,
        key1,
        amount: amount!,
        custom_id: req.tx.id,
        custom_transaction_id: req.tx.id,
      };
      const request: PaykassmaRequest =
        (s.possibleTransactionEncoding ?? 'multipart') === 'multipart'
          ? { method: 'POST', path: '/api/v1/possible-transaction', withSecret: true, form: { ...fields, screenshot: screenshot ?? undefined } }
          : {
              method: 'POST',
              path: '/api/v1/possible-transaction',
              withSecret: true,
              json: { ...fields, amount: amountNumber, ...(req.screenshot ? { screenshot: req.screenshot } : {}) },
            };
      exchange = await callPaykassma(account, request);
    }
    const activated = (answer: string): ProviderOutcome => ({
      status: TxStatus.PROCESSING,
      providerTxId: key1,
      nextAction: null,
      providerData: { paykassma: { ...data, activation: { transactionNumber: key1, answer, at: new Date().toISOString() } } },
      raw: exchange.raw,
    });
    const { result } = exchange;
    if (result.kind === 'response') {
      const json = (result.json ?? {}) as Json;
      if (json.status === 'possible_transaction_created') return activated('possible_transaction_created');
      // A suspicious transaction: Paykassma checks it and credits later; the answer is a 400 but not a refusal.
      if (result.status === 400 && /check of deposit status started/i.test(messageOf(json) ?? result.body)) return activated('status_check_started');
    }
    const answer = readAnswer(exchange, { nothingCreated: false });
    if (answer.kind === 'ok') return activated('activated');
    if (answer.kind === 'fail') {
      return {
        status: TxStatus.WAITING_INPUT,
        failure: { code: FailureCode.INVALID_REQUEST, reason: 'Paykassma refused the activation', providerMessage: answer.message },
        raw: exchange.raw,
      };
    }
    return { ...answer.outcome, raw: exchange.raw };
  }

  async withdraw(req: WithdrawalRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    const s = settingsOf(account);
    if (!s.withdrawalPrivateKey) return failed(FailureCode.METHOD_UNAVAILABLE, 'The Paykassma account has no withdrawalPrivateKey', {}, { notTaken: true });
    if (!req.service || isGeneric(req.service))
      return invalid([{ field: 'service', issue: 'must name the Paykassma payment system (e.g. paytm, bkash, imps_ib, itau_ml)' }]);
    const major = toMajorString(req.amount, req.currency);
    if (!/^\d+(\.0+)?$/.test(major)) return invalid([{ field: 'amount', issue: `Paykassma withdrawals take whole ${req.currency} amounts` }]);
    const body = withdrawalBody(req, account.testMode, account.descriptor);
    const issues = checkWithdrawalBody(body, parseRequiredFieldOverrides(s.withdrawalRequiredFields));
    if (issues.length) return invalid(issues);
    body.signature = withdrawalSignature(s.withdrawalPrivateKey, body);
    const exchange = await callPaykassma(account, { method: 'POST', path: '/v2/withdrawal/create', json: body, withSecret: false });
    const answer = readAnswer(exchange, { nothingCreated: false });
    if (answer.kind === 'ok') return { status: TxStatus.PROCESSING, providerTxId: req.txId, raw: exchange.raw };
    if (answer.kind === 'fail' && /insufficient balance/i.test(answer.message)) {
      return failed(FailureCode.INSUFFICIENT_FUNDS, 'The merchant balance at Paykassma is lower than the open withdrawals', exchange.raw, {
        notTaken: true,
        providerMessage: answer.message,
      });
    }
    if (answer.kind === 'fail')
      return failed(FailureCode.INVALID_REQUEST, 'Paykassma refused the withdrawal', exchange.raw, { providerMessage: answer.message });
    return { ...answer.outcome, raw: exchange.raw };
  }

  async checkStatus(tx: TransactionView, account: ResolvedAccount): Promise<ProviderOutcome> {
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
    return this.pendingDeposit(tx, account, exchange.raw);
  }

  /** Not credited yet: an activated deposit waits at the provider (savings below the minimum, a manual check). */
  private async pendingDeposit(tx: TransactionView, account: ResolvedAccount, raw: unknown): Promise<ProviderOutcome> {
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

  /** `pullpostbacks` for many transactions at once (reconciliation), one call per type and batch. */
  async checkStatusBatch(txs: TransactionView[], account: ResolvedAccount): Promise<Map<string, ProviderOutcome>> {
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

  async getBalances(account: ResolvedAccount): Promise<ProviderBalance[]> {
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

  async paymentMethods(account: ResolvedAccount, query: ProviderMethodsQuery): Promise<ProviderPaymentMethod[]> {
    if (query.direction !== 'DEPOSIT') return [];
    const s = settingsOf(account);
    // `label` is required; without a customer the list is asked for a neutral one.
    const available = await this.availableWallets(account, query.currency, query.userId ?? 'payhub-payment-methods');
    if (!available.ok) return [];
    const hints = await this.mediaHints(account);
    const redirect = listSetting(s.redirectPaymentSystems, DEFAULT_REDIRECT_PAYMENT_SYSTEMS);
    const amountWallets = listSetting(s.activationAmountWalletTypes, DEFAULT_ACTIVATION_AMOUNT_WALLETS);
    const label = query.userId ?? 'payhub-payment-methods';
    const wallets = available.wallets.filter((w) => w.currency_code === query.currency).sort((a, b) => Number(a.order ?? 0) - Number(b.order ?? 0));
    const minimums = await Promise.all(wallets.map((w) => this.minimumDeposit(account, w.type, query.currency, label)));
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

  /** The wallet from the cached list when it is there, else from a fresh `payment-systems/available`. */
  private async offeredWallet(account: ResolvedAccount, walletType: string, currency: string, label: string) {
    const key = this.walletLists.key(account.baseUrls.api ?? '', revealed(account.settings.pluginApiSecret) ?? '', currency);
    const pick = (wallets: PaykassmaWallet[]) => wallets.find((w) => w.type === walletType && w.currency_code === currency);
    const cached = this.walletLists.get(key);
    const hit = cached ? pick(cached) : undefined;
    if (hit) return { ok: true as const, wallet: hit, raw: { cached: true } as unknown };
    const available = await this.availableWallets(account, currency, label);
    if (!available.ok) return available;
    this.walletLists.set(key, available.wallets);
    return { ok: true as const, wallet: pick(available.wallets), raw: available.raw as unknown };
  }

  /**
   * `deposit-info`'s `minimum_deposit` (major units): less is kept as savings, not credited, so it is the
   * method's smallest amount. Best effort: no answer states no minimum.
   */
  private async minimumDeposit(account: ResolvedAccount, walletType: string, currency: string, label: string): Promise<bigint | null> {
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

  private async availableWallets(account: ResolvedAccount, currency: string, label: string) {
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

  /** `wallet-type/images/`: a guide video or image per wallet type; best effort, the list works without it. */
  private async mediaHints(account: ResolvedAccount): Promise<Record<string, string>> {
    const exchange = await callPaykassma(account, { method: 'GET', path: '/wallet-type/images/', withSecret: true });
    const json = exchange.result.kind === 'response' ? (exchange.result.json as Json | undefined) : undefined;
    const data = (json?.data ?? {}) as Record<string, { url?: string }>;
    return Object.fromEntries(
      Object.entries(data)
        .filter(([, v]) => typeof v?.url === 'string')
        .map(([k, v]) => [k, v.url as string]),
    );
  }

  async parseCallback(req: RawCallback, accounts: AccountLookup): Promise<VerifiedCallback> {
    let body: PhpValue;
    try {
      body = parsePhpJson(req.rawBody);
    } catch {
      throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The postback is not JSON');
    }
    if (!(body instanceof PhpAssoc)) throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The postback is not a JSON object');
    const signature = body.get('signature');
    const accessKey = body.get('access_key');
    // Current postbacks carry `additional_data`, signed over json_encode with JSON_UNESCAPED_SLASHES |
    // JSON_UNESCAPED_UNICODE; older ones `transactions`, signed over Laravel's toJson(): no flags (NOTES §2.1).
    const legacy = body.get('additional_data') === undefined && body.get('transactions') !== undefined;
    const list = legacy ? body.get('transactions') : body.get('additional_data');
    if (typeof signature !== 'string' || typeof accessKey !== 'string' || !(Array.isArray(list) || list instanceof PhpAssoc)) {
      throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The postback needs signature, access_key and additional_data');
    }
    const signers = (await accounts.candidates()).filter(
      (a) =>
        revealed(a.settings.postbackAccessKey) === accessKey &&
        verifyPostbackSignature(accessKey, revealed(a.settings.postbackPrivateKey) ?? '', list, signature, legacy ? 'escaped' : 'unescaped'),
    );
    if (signers.length === 0) throw new DomainError(ErrorCode.CALLBACK_SIGNATURE_INVALID, 'The postback signature does not verify');

    const direction = plain(body.get('direction'));
    const items = (Array.isArray(list) ? list : list.entries.map(([, v]) => v)).filter((i): i is PhpAssoc => i instanceof PhpAssoc);
    const results: VerifiedCallback['results'] = [];
    const identity: string[] = [];
    const unmatched: unknown[] = [];
    for (const item of items) {
      const withdrawalId = plain(item.get('withdrawal_id'));
      const isWithdrawal = direction === 'outgoing' || (direction !== 'ingoing' && !!withdrawalId);
      const txId = isWithdrawal ? withdrawalId : plain(item.get('plugin_custom_order_id')) || plain(item.get('custom_id'));
      identity.push(
        isWithdrawal
          ? `w:${withdrawalId}:${plain(item.get('withdrawal_status'))}`
          : `d:${plain(item.get('stockpiling_id'))}:${plain(item.get('transaction_id'))}:${txId}`,
      );
      // Only the keys of the account that owns the transaction may settle it.
      const owner = txId ? await accounts.forTransaction(txId) : null;
      const signedByOwner =
        owner &&
        signers.some(
          (a) =>
            a.merchantId === owner.merchantId &&
            revealed(a.settings.postbackPrivateKey) === revealed(owner.settings.postbackPrivateKey) &&
            revealed(a.settings.postbackAccessKey) === revealed(owner.settings.postbackAccessKey),
        );
      if (!txId || !signedByOwner) {
        unmatched.push(JSON.parse(phpJsonEncode(item, { unescapedSlashes: true, unescapedUnicode: true })));
        continue;
      }
      const outcome = isWithdrawal
        ? withdrawalOutcome(item)
        : depositOutcome(item, plain(body.get('currency_code')), settingsOf(owner).acceptCreditedAmount === true);
      results.push({ txId, outcome: { ...outcome, raw: { postback: JSON.parse(req.rawBody) } } });
    }
    if (unmatched.length) {
      // Kept in the callback inbox as received; logged so staff can credit what no payhub id names.
      this.logger.warn({ provider: PAYKASSMA, unmatched }, 'postback items name no payhub transaction of the signing account');
    }
    const dedupKey = `pk:${createHash('sha1').update(identity.sort().join('|')).digest('hex')}`;
    return { results, dedupKey, response: OK_ANSWER };
  }
}

function screenshotRequired(walletType: string, isManual: boolean | undefined, uploadingPaymentBill: boolean | undefined): boolean {
  return SCREENSHOT_WALLETS.includes(walletType) || (isManual === true && uploadingPaymentBill === true);
}

/** The account's settings with its keys in clear, for the one call that uses them. */
function settingsOf(account: ResolvedAccount): Settings {
  const s = account.settings;
  return {
    ...(s as unknown as Settings),
    pluginApiSecret: revealed(s.pluginApiSecret) ?? '',
    withdrawalPrivateKey: revealed(s.withdrawalPrivateKey),
    postbackAccessKey: revealed(s.postbackAccessKey) ?? '',
    postbackPrivateKey: revealed(s.postbackPrivateKey) ?? '',
  };
}

function listSetting(value: string | undefined, fallback: string[]): string[] {
  return value ? value.split('|') : fallback;
}

function isGeneric(service: string | null | undefined): boolean {
  return !service || (GENERIC_SERVICES as readonly string[]).includes(service.toUpperCase());
}

function depositData(tx: TransactionView): DepositData | null {
  return ((tx.providerData ?? {}) as { paykassma?: DepositData }).paykassma ?? null;
}
