import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, ErrorDetail, toMajorString } from '@payhub/common';
import { FailureCode, refundCeiling, TxStatus, TxType } from '@payhub/domain';
import {
  AccountLookup,
  DepositRequest,
  NextAction,
  outcomes,
  PaymentProvider,
  PaymentProviderAdapter,
  ProviderBalance,
  ProviderHttp,
  ProviderInputField,
  ProviderOutcome,
  ProviderTransactionRecord,
  RawCallback,
  RefundRequest,
  ResolvedAccount,
  ReversalRequest,
  TransactionView,
  VerifiedCallback,
  WithdrawalRequest,
} from '@payhub/providers-core';
import { INTERKASSA } from './interkassa.constants';
import { INTERKASSA_CONFIG_DESCRIPTOR } from './interkassa-account.schema';
import { ApiResult, describe, findByPaymentNo, interkassaApi, stringOrNull } from './interkassa-api';
import { echoDigests, parseInteraction, parseWithdrawalCallback, readFields } from './interkassa-callbacks';
import { reportedMoney, truncatedMinor } from './interkassa-money';
import { InterkassaSettings, interkassaSettings } from './interkassa-settings';
import { INTERKASSA_TEST_PAYWAY, interkassaSignature } from './interkassa-signature';
import { MappedStatus, mapCoInvoiceState, mapRefundInvoiceState, mapWithdrawState } from './interkassa-status';

export { INTERKASSA } from './interkassa.constants';

/** UPI address: name@bank, 5–45 characters (PaymentIQ Interkassa page). */
const UPI_ADDRESS = /^(?=.{5,45}$)[A-Za-z0-9]+@[A-Za-z0-9.]+$/;

/**
 * A payway alias is `<method>_<provider>_<merchantType>_<currency>` (e.g. `visa_cpaytrz_merchant_usd`,
 * NOTES §1.6). A shorter mapping value such as `visa` names no payway Interkassa knows; the card is then
 * sent in the currency-independent form `ik_payment_method` + `ik_payment_currency` (NOTES §1.2).
 */
const PAYWAY_ALIAS = /^[A-Za-z0-9]+(_[A-Za-z0-9]+){3,}$/;

/** h2h card and 3DS2 fields: one non-official source each (NOTES §1.6), kept in one place. */
const H2H_CARD_FIELDS = { number: 'ik_pay_card_number', month: 'ik_pay_card_exp_month', year: 'ik_pay_card_exp_year', cvv: 'ik_pay_card_cvv' } as const;

/** How long payhub waits for the customer (3-D Secure, UPI collect) before a deposit expires. */
export const INTERKASSA_SESSION_SECONDS = 60 * 60;
/**
 * Interkassa's invoice lifetime (`ik_ltm`) ends this long before payhub's session does, so the last
 * status check, made when payhub's session ends, already sees an invoice nobody can pay any more.
 */
const INVOICE_LIFETIME_MARGIN_SECONDS = 5 * 60;

/**
 * Interkassa: deposits through the SCI in host-to-host JSON mode (`ik_act=process`, `ik_int=json`),
 * payouts, refunds and status through the REST API v1. Stateless: the account carries every key.
 */
@Injectable()
@PaymentProviderAdapter()
export class InterkassaProvider implements PaymentProvider {
  readonly id = INTERKASSA;
  readonly configDescriptor = INTERKASSA_CONFIG_DESCRIPTOR;
  readonly sessionLifetimeMs = INTERKASSA_SESSION_SECONDS * 1000;

  /** What Interkassa refuses anyway, answered before payhub stores the payment. */
  validate(req: DepositRequest | WithdrawalRequest): ErrorDetail[] {
    const upi = req.service?.toUpperCase() === 'UPI' || req.txType === TxType.WalletWithdrawal;
    if (upi && !UPI_ADDRESS.test(req.wallet?.account ?? ''))
      return [{ field: 'wallet.account', issue: 'must be a UPI address name@bank of 5 to 45 characters' }];
    if (req.service?.toUpperCase() === 'NET_BANKING' && !req.bank?.name) return [{ field: 'bank.name', issue: 'is required for a Net Banking deposit' }];
    return [];
  }

  /** What each flow below reads from the request (card holder is never sent to Interkassa). */
  inputFields(method: { txType: TxType; service: string | null }): ProviderInputField[] {
    const service = method.service?.toUpperCase() ?? null;
    switch (method.txType) {
      case TxType.CreditcardDeposit:
        return [{ field: 'card.cvv', required: false }];
      case TxType.BankDeposit:
        return [{ field: 'bank.name', required: true }];
      case TxType.BankLocalWithdrawal:
        return [
          { field: 'bank.accountNumber', required: true },
          { field: 'bank.clearingNumber', required: true },
          { field: 'bank.accountName', required: false },
        ];
      case TxType.WalletDeposit:
      case TxType.WalletWithdrawal:
        return service === 'UPI' || service === 'WALLET' ? [{ field: 'wallet.account', required: true }] : [];
      default:
        return [];
    }
  }

  supports(txType: TxType, service?: string | null): boolean {
    const svc = service?.toUpperCase() ?? null;
    switch (txType) {
      case TxType.CreditcardDeposit:
      case TxType.CreditcardWithdrawal:
      case TxType.BankLocalWithdrawal:
      case TxType.Refund:
      case TxType.Reversal:
        return true;
      case TxType.WalletDeposit:
        return svc === 'UPI' || svc === 'WALLET';
      case TxType.BankDeposit:
        return svc === 'NET_BANKING';
      case TxType.WalletWithdrawal:
        return svc === 'UPI';
      default:
        return false;
    }
  }

  async deposit(req: DepositRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    const s = interkassaSettings(account);
    const service = req.service?.toUpperCase() ?? null;
    const params: Record<string, string> = {
      ik_co_id: s.checkoutId,
      ik_pm_no: req.txId,
      ik_am: toMajorString(req.amount, req.currency),
      ik_cur: req.currency,
      ik_desc: (account.descriptor ?? `Payment ${req.merchantTxId}`).slice(0, 255),
      ik_act: 'process',
      ik_int: 'json',
      ik_ia_u: req.callbackUrl,
      ik_ia_m: 'post',
      ik_ltm: String(INTERKASSA_SESSION_SECONDS - INVOICE_LIFETIME_MARGIN_SECONDS),
    };

    let payway: string | null;
    if (req.txType === TxType.CreditcardDeposit) {
      if (!req.card) return refusedBeforeSending('The card block is required for a card deposit');
      if (req.routing.threeDs.enabled && req.routing.threeDs.mode !== 'off' && s.use3Dsecure === false) {
        return refusedBeforeSending('3DS2 routing requires 3-D Secure and the Interkassa account has use3Dsecure=false');
      }
      const mapped = req.routing.payway ?? null;
      payway = mapped && PAYWAY_ALIAS.test(mapped) ? mapped : null;
      params[H2H_CARD_FIELDS.number] = req.card.number;
      params[H2H_CARD_FIELDS.month] = req.card.expiryMonth;
      params[H2H_CARD_FIELDS.year] = req.card.expiryYear.slice(-2);
      if (req.card.cvv) params[H2H_CARD_FIELDS.cvv] = req.card.cvv;
      if (!payway) params.ik_payment_method = s.method ?? 'card';
      if (req.browser && (req.routing.threeDs.enabled || s.use3Dsecure === true)) Object.assign(params, browserFields(req.browser));
    } else if (service === 'UPI') {
      const address = req.wallet?.account ?? '';
      if (!UPI_ADDRESS.test(address))
        return refusedBeforeSending('wallet.account must be a UPI address name@bank of 5 to 45 characters', FailureCode.INVALID_REQUEST, false);
      payway = s.servicePaywayMap.UPI ?? null;
      params.ik_x_upi_number = address;
      params.ik_x_mop_type = '504';
    } else if (service === 'NET_BANKING') {
      if (!req.bank?.name) return refusedBeforeSending('bank.name is required for a Net Banking deposit', FailureCode.INVALID_REQUEST, false);
      payway = s.servicePaywayMap.NET_BANKING ?? null;
      params.ik_x_mop_type = req.bank.name;
    } else if (service === 'WALLET') {
      if (!req.wallet?.account)
        return refusedBeforeSending('wallet.account (the wallet to pay with) is required for a wallet deposit', FailureCode.INVALID_REQUEST, false);
      payway = s.servicePaywayMap.WALLET ?? null;
      params.ik_x_mop_type = req.wallet.account;
    } else {
      return refusedBeforeSending(`Interkassa does not take ${req.txType}${service ? `/${service}` : ''} deposits`);
    }
    if (account.testMode) payway = INTERKASSA_TEST_PAYWAY;
    if (payway) params.ik_pw_via = payway;
    else if (!params.ik_payment_method) {
      params.ik_payment_method = (service ?? 'card').toLowerCase();
    }
    if (params.ik_payment_method) params.ik_payment_currency = req.currency;

    if (req.customer?.email || req.customer?.phone) params.ik_cli = (req.customer.email ?? req.customer.phone)!.slice(0, 64);
    if (req.customer?.email) params.ik_x_customer_email = req.customer.email;
    if (req.customer?.phone) params.ik_x_customer_phone = req.customer.phone;
    // Once Interkassa enabled ik_result_url for the checkout (doDefaultRedirect=false), it redirects the customer itself.
    if (s.doDefaultRedirect !== false && req.redirectUrls) {
      if (req.redirectUrls.success) Object.assign(params, { ik_suc_u: req.redirectUrls.success, ik_suc_m: 'get' });
      if (req.redirectUrls.failure) Object.assign(params, { ik_fal_u: req.redirectUrls.failure, ik_fal_m: 'get' });
      if (req.redirectUrls.pending) Object.assign(params, { ik_pnd_u: req.redirectUrls.pending, ik_pnd_m: 'get' });
    }

    // Requests are always signed with the sign key; the test key only verifies test-payway notifications.
    params.ik_sign = interkassaSignature(params, s.secretKey, s.signAlgorithm);

    const http = new ProviderHttp(INTERKASSA, account.baseUrls.sci, account.timeoutMs);
    const res = await http.send('sci', { method: 'POST', path: account.baseUrls.sci, form: params });
    if (res.kind === 'not_sent') return notSent(res.error, http.raw());
    if (res.kind !== 'response') return inconsistent(`No answer from Interkassa: ${res.error}`, http.raw({ error: res.error }));
    const raw = http.raw();
    if (res.status >= 500) return inconsistent(`Interkassa answered HTTP ${res.status}`, raw, String(res.status));

    const answer = res.json as
      { resultCode?: unknown; resultMsg?: unknown; resultData?: { paymentForm?: { action?: unknown; method?: unknown; parameters?: unknown } } } | undefined;
    if (!answer || typeof answer !== 'object' || answer.resultCode === undefined) return inconsistent('Interkassa answered with an unreadable body', raw);
    if (String(answer.resultCode) !== '0') {
      // The SCI's resultCode is not published per cause: a wrong signature, a disabled payway and a refused
      // card look alike, so none is called a card decline. Nothing was created at Interkassa.
      const providerCode = String(answer.resultCode);
      return {
        status: TxStatus.FAILED,
        failure: {
          code: s.refusalCodeMap[providerCode] ?? FailureCode.PROVIDER_ERROR,
          reason: 'Interkassa refused the payment request',
          providerCode,
          providerMessage: stringOrNull(answer.resultMsg),
        },
        raw,
      };
    }
    const form = answer.resultData?.paymentForm;
    if (!form || typeof form.action !== 'string') return inconsistent('Interkassa accepted the payment without a payment form', raw);
    const nextAction: NextAction = {
      type: 'REDIRECT',
      url: form.action,
      method: String(form.method).toUpperCase() === 'GET' ? 'GET' : 'POST',
      params: Object.fromEntries(Object.entries((form.parameters ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
    };
    return { status: TxStatus.WAITING_INPUT, nextAction, providerData: { payway: params.ik_pw_via ?? null, ikEcho: echoDigests(params) }, raw };
  }

  async withdraw(req: WithdrawalRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    const s = interkassaSettings(account);
    if (!s.walletId) return refusedBeforeSending('The account has no walletId (purse) to pay out from');
    const form: Record<string, string> = {
      amount: toMajorString(req.amount, req.currency),
      currency: req.currency.toLowerCase(),
      purseId: s.walletId,
      useShortAlias: 'true',
      action: 'process',
      calcKey: s.calcKey,
      // Interkassa keeps paymentNo unique per checkout, so a repeated submission cannot pay twice.
      paymentNo: req.txId,
    };
    const details: Record<string, string> = {};
    switch (req.txType) {
      case TxType.CreditcardWithdrawal:
        // payhub never stores a PAN: a card payout can only be submitted while the request still carries it.
        if (!req.card?.number)
          return refusedBeforeSending('A card payout needs the card number at submission; payhub does not store it', FailureCode.INVALID_CARD);
        form.method = s.method ?? 'card';
        details.card = req.card.number;
        break;
      case TxType.WalletWithdrawal:
        if (!req.wallet?.account || !UPI_ADDRESS.test(req.wallet.account))
          return refusedBeforeSending('wallet.account must be a UPI address name@bank of 5 to 45 characters', FailureCode.INVALID_REQUEST);
        form.method = s.payoutMethodMap.WalletWithdrawal;
        details.account_number = req.wallet.account;
        break;
      case TxType.BankLocalWithdrawal:
        if (!req.bank?.accountNumber || !req.bank.clearingNumber)
          return refusedBeforeSending('bank.accountNumber and bank.clearingNumber (IFSC) are required', FailureCode.INVALID_REQUEST);
        form.method = s.payoutMethodMap.BankLocalWithdrawal;
        details.account_number = req.bank.accountNumber;
        details.bank_identity = req.bank.clearingNumber;
        if (req.bank.accountName) details.account_name = req.bank.accountName;
        break;
      default:
        return refusedBeforeSending(`Interkassa does not take ${req.txType} payouts`);
    }
    if (req.customer?.firstName) details.first_name = req.customer.firstName;
    if (req.customer?.lastName) details.last_name = req.customer.lastName;
    if (req.customer?.phone) details.phone = req.customer.phone;
    if (req.customer?.email) details.email = req.customer.email;
    for (const [k, v] of Object.entries(details)) form[`details[${k}]`] = v;

    const result = await interkassaApi(account, s, 'POST', '/withdraw', form);
    if (result.kind === 'not_sent') return notSent(result.reason, result.raw, result.unconfigured);
    if (result.kind === 'unknown') return inconsistent(result.reason, result.raw);
    if (result.kind === 'refused') return refusedByProvider('Interkassa refused the payout', result, s);
    const transaction = (result.data.transaction ?? {}) as Record<string, unknown>;
    const payoutId = stringOrNull(transaction.opId) ?? stringOrNull(transaction.id);
    if (!payoutId) return inconsistent('Interkassa accepted the payout without an id', result.raw);
    const state = stringOrNull(transaction.state);
    const mapped: MappedStatus = state ? mapWithdrawState(state, stringOrNull(transaction.stateName)) : { status: TxStatus.PROCESSING };
    return { ...mapped, providerTxId: payoutId, providerData: { payoutId }, raw: result.raw };
  }

  async refund(req: RefundRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    return this.refundInvoice(req, account, 'refund');
  }

  /** No reversal endpoint is published: a reversal is a full refund of the invoice. */
  async reverse(req: ReversalRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    if (req.amount !== refundCeiling(req.parent))
      return refusedBeforeSending('A reversal returns the whole deposit; use a refund for part of it', FailureCode.INVALID_REQUEST);
    return this.refundInvoice(req, account, 'reversal');
  }

  async checkStatus(tx: TransactionView, account: ResolvedAccount): Promise<ProviderOutcome> {
    const s = interkassaSettings(account);
    if (tx.txType === TxType.Refund || tx.txType === TxType.Reversal) {
      const invoiceId = stringOrNull(tx.providerData?.invoiceId);
      if (!invoiceId) return inconsistent('The refund does not name its Interkassa invoice', {});
      const result = await interkassaApi(account, s, 'GET', `/co-invoice/${encodeURIComponent(invoiceId)}`);
      if (result.kind !== 'ok') return inconsistent(`Status check failed: ${describe(result)}`, result.raw);
      return { ...mapRefundInvoiceState(String(result.data.state ?? '')), raw: result.raw };
    }
    if (tx.txType === TxType.CreditcardWithdrawal || tx.txType === TxType.WalletWithdrawal || tx.txType === TxType.BankLocalWithdrawal) {
      const found = tx.providerTxId
        ? await interkassaApi(account, s, 'GET', `/withdraw/${encodeURIComponent(tx.providerTxId)}`)
        : await findByPaymentNo(account, s, `/withdraw?${new URLSearchParams({ paymentNo: tx.id, purseId: s.walletId ?? '' })}`, tx.id);
      if (found.kind !== 'ok') return inconsistent(`Status check failed: ${describe(found)}`, found.raw);
      const payoutId = stringOrNull(found.data.id) ?? tx.providerTxId;
      return { ...mapWithdrawState(stringOrNull(found.data.state), stringOrNull(found.data.stateName)), providerTxId: payoutId, raw: found.raw };
    }
    const found = tx.providerTxId
      ? await interkassaApi(account, s, 'GET', `/co-invoice/${encodeURIComponent(tx.providerTxId)}`)
      : await findByPaymentNo(account, s, `/co-invoice?${new URLSearchParams({ checkoutId: s.checkoutId, paymentNo: tx.id })}`, tx.id);
    if (found.kind !== 'ok') return inconsistent(`Status check failed: ${describe(found)}`, found.raw);
    const invoiceId = stringOrNull(found.data.id) ?? tx.providerTxId;
    const mapped = mapCoInvoiceState(String(found.data.state ?? ''));
    return {
      ...mapped,
      ...reportedMoney(stringOrNull(found.data.am), stringOrNull(found.data.cur), tx.currency),
      providerTxId: invoiceId,
      providerData: invoiceId ? { invoiceId } : null,
      raw: found.raw,
    };
  }

  async parseCallback(req: RawCallback, accounts: AccountLookup): Promise<VerifiedCallback> {
    const fields = readFields(req);
    if (req.params.txId || fields.ik_inv_id !== undefined) return parseInteraction(req.params.txId ?? fields.ik_pm_no, fields, accounts);
    return parseWithdrawalCallback(fields, accounts);
  }

  /** The payout purse (GET /purse/{walletId}), for the reconciliation report. */
  async getBalances(account: ResolvedAccount): Promise<ProviderBalance[]> {
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
  async listTransactions(account: ResolvedAccount, from: Date, to: Date): Promise<ProviderTransactionRecord[]> {
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

  private async refundInvoice(req: RefundRequest, account: ResolvedAccount, kind: 'refund' | 'reversal'): Promise<ProviderOutcome> {
    const s = interkassaSettings(account);
    const invoiceId = req.parent.providerTxId;
    if (!invoiceId) return refusedBeforeSending('The deposit has no Interkassa invoice id to refund');
    const form = {
      id: invoiceId,
      amount: toMajorString(req.amount, req.currency),
      merchantOrderId: req.txId,
      description: `${kind} of ${req.parent.merchantTxId}`.slice(0, 255),
    };
    const result = await interkassaApi(account, s, 'POST', '/refund', form);
    if (result.kind === 'not_sent') return notSent(result.reason, result.raw, result.unconfigured);
    if (result.kind === 'unknown') return inconsistent(result.reason, result.raw, undefined, { invoiceId });
    if (result.kind === 'refused') return refusedByProvider(`Interkassa refused the ${kind}`, result, s);
    // Accepted is not refunded: the invoice goes through state 4 (refund in progress) before 9 (refunded),
    // and the answer states neither (NOTES §1.5). The status check settles it.
    return { status: TxStatus.PROCESSING, providerTxId: stringOrNull(result.data.id), providerData: { invoiceId }, raw: result.raw };
  }
}

function browserFields(b: NonNullable<DepositRequest['browser']>): Record<string, string> {
  const out: Record<string, string | undefined> = {
    ik_x_browser_accept_header: b.acceptHeader,
    ik_x_browser_user_agent: b.userAgent,
    ik_x_browser_language: b.language,
    ik_x_browser_color_depth: b.colorDepth?.toString(),
    ik_x_browser_screen_height: b.screenHeight?.toString(),
    ik_x_browser_screen_width: b.screenWidth?.toString(),
    ik_x_browser_time_zone_offset: b.timeZoneOffset?.toString(),
    ik_x_browser_java_enabled: b.javaEnabled === undefined ? undefined : String(b.javaEnabled),
    ik_browser_java_script_enabled: b.javaScriptEnabled === undefined ? undefined : String(b.javaScriptEnabled),
    ik_x_browser_ip_address: b.ip,
  };
  return Object.fromEntries(Object.entries(out).filter((e): e is [string, string] => e[1] !== undefined));
}

function inconsistent(reason: string, raw: Record<string, unknown>, providerCode?: string, providerData?: Record<string, unknown>): ProviderOutcome {
  return outcomes.unknown(reason, raw, { providerCode, ...(providerData ? { providerData } : {}) });
}

/** Nothing reached Interkassa: unreachable (its failure) or not configured for the call (the account cannot do it). */
function notSent(error: string, raw: Record<string, unknown>, unconfigured = false): ProviderOutcome {
  return unconfigured
    ? outcomes.notTaken(FailureCode.METHOD_UNAVAILABLE, error, raw)
    : outcomes.notTaken(FailureCode.PROVIDER_ERROR, 'Interkassa could not be reached; nothing was sent', raw, { providerMessage: error.slice(0, 500) });
}

/** Checked before any call: nothing reached Interkassa. */
function refusedBeforeSending(reason: string, code: FailureCode = FailureCode.METHOD_UNAVAILABLE, notTaken = true): ProviderOutcome {
  return notTaken ? outcomes.notTaken(code, reason, { refused: reason }) : outcomes.failed({ code, reason }, { refused: reason });
}

function refusedByProvider(reason: string, result: Extract<ApiResult, { kind: 'refused' }>, s: InterkassaSettings): ProviderOutcome {
  return outcomes.failed(
    { code: s.refusalCodeMap[result.code] ?? FailureCode.PROVIDER_ERROR, reason, providerCode: result.code, providerMessage: result.message },
    result.raw,
  );
}
