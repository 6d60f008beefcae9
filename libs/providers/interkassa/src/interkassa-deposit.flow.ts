import { toMajorString } from '@payhub/common';
import { FailureCode, TxStatus, TxType } from '@payhub/domain';
import { DepositRequest, NextAction, ProviderHttp, ProviderOutcome, ResolvedAccount } from '@payhub/providers-core';
import { INTERKASSA } from './interkassa.constants';
import { stringOrNull } from './interkassa-api';
import { echoDigests } from './interkassa-callbacks';
import { interkassaSettings } from './interkassa-settings';
import { INTERKASSA_TEST_PAYWAY, interkassaSignature } from './interkassa-signature';
import { inconsistent, notSent, refusedBeforeSending } from './interkassa-outcomes';

/** UPI address: name@bank, 5–45 characters (PaymentIQ Interkassa page). */
export const UPI_ADDRESS = /^(?=.{5,45}$)[A-Za-z0-9]+@[A-Za-z0-9.]+$/;

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

/** A deposit through the SCI in h2h JSON mode (`ik_act=process`, `ik_int=json`), signed; the payment form is the REDIRECT. */
export async function interkassaDeposit(req: DepositRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
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
