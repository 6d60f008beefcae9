import { DepositRequest, PaymentRequestBase, ProviderOutcome, ResolvedAccount } from '@payhub/providers-core';
import { FailureCode, TxStatus } from '@payhub/domain';
import { KashaBodyEncoding, KashaDepositFlow, KashaPayoutFlow } from './kasha-account.schema';
import { asObject, interpret, str, unknown } from './kasha-answers';
import { asFormInputs, FormIssue, KashaFormInput } from './kasha-form-inputs';
import { KashaHttp } from './kasha-http';
import { AMOUNT_PLACEHOLDER, compact, Suboption, withAmount } from './kasha-request';
import type { KashaSession, KashaSettings, OptionKind } from './kasha-settings';

type Json = Record<string, unknown>;

/** `service` values a merchant sends to choose the flow per request. */
export const KASHA_SERVICES = { hosted: 'HOSTED_CASHIER', hybrid: 'HYBRID_LINK' } as const;
/** Kasha: "Session expires after 30 min, only 1 payment is allowed for each session." */
export const KASHA_SESSION_SECONDS = 30 * 60;

export function flowOf(req: DepositRequest, settings: KashaSettings): KashaDepositFlow {
  const service = req.service?.toUpperCase();
  if (service === KASHA_SERVICES.hosted) return 'hosted';
  if (service === KASHA_SERVICES.hybrid) return 'hybrid';
  return settings.depositFlow ?? 'direct';
}

export function payoutFlowOf(req: PaymentRequestBase, settings: KashaSettings): KashaPayoutFlow {
  const service = req.service?.toUpperCase();
  if (service === KASHA_SERVICES.hosted) return 'hosted';
  return settings.payoutFlow ?? 'direct';
}

/** The session request every Kasha flow starts with; `merchantReference` is payhub's transaction id. */
export function sessionBody(req: PaymentRequestBase, account: ResolvedAccount): Json {
  const settings = account.settings as KashaSettings;
  const c = req.customer;
  const address = c?.address;
  const kashaAddress = (a: NonNullable<typeof address>) =>
    compact({
      street: [a.line1, a.line2].filter(Boolean).join(', ') || undefined,
      streetNumber: a.streetNumber,
      country: a.country,
      zipCode: a.postalCode,
      city: a.city,
      state: a.state,
    });
  const customer = compact({
    name: [c?.firstName, c?.lastName].filter(Boolean).join(' ') || req.bank?.accountName,
    email: c?.email,
    phone: c?.phone,
    userDevice: c?.device,
    userAgent: req.browser?.userAgent,
    ip: req.browser?.ip,
    address: address ? kashaAddress(address) : undefined,
    identify: c?.identify ? { number: c.identify.number, type: c.identify.type } : undefined,
  });
  return compact({
    country: req.country ?? undefined,
    currency: req.currency,
    amount: AMOUNT_PLACEHOLDER,
    redirectUrl: req.redirectUrls?.success ?? req.redirectUrls?.pending ?? settings.redirectUrl ?? new URL(req.callbackUrl).origin,
    notificationUrl: req.callbackUrl,
    language: settings.language ?? 'EN',
    customer,
    merchantReference: req.txId,
    paymentReference: (account.descriptor ?? req.merchantTxId).slice(0, 255),
    userId: req.userId,
    // extra1 is documented as the customer's crypto wallet; extra2/3 let Kasha's portal find the merchant's own ids.
    extra1: req.wallet?.account,
    extra2: req.merchantTxId,
    extra3: req.merchantId,
    tax: req.order?.tax,
    shippingAddress: req.order?.shippingAddress ? kashaAddress(req.order.shippingAddress) : undefined,
    orderDetails: req.order?.items?.length
      ? req.order.items.map((i) => compact({ productName: i.productName, quantity: i.quantity, dimensions: i.dimensions, description: i.description }))
      : undefined,
  });
}

export async function openSession(
  http: KashaHttp,
  step: string,
  path: string,
  body: Json,
  req: PaymentRequestBase,
): Promise<{ session: KashaSession } | { outcome: ProviderOutcome }> {
  const interpreted = interpret(await http.postJson(step, path, body, withAmount(body, req)), http);
  if (!interpreted.ok) return { outcome: interpreted.outcome };
  const sessionId = str(interpreted.json.sessionId);
  const options = Array.isArray(interpreted.json.paymentOptions)
    ? interpreted.json.paymentOptions.map(asObject).filter((o): o is Json => !!o && !!str(o.paymentOptionId))
    : [];
  if (!sessionId) return { outcome: unknown({ raw: http.raw() }, `Kasha's ${step} answer holds no sessionId`) };
  return { session: { sessionId, transactionId: str(interpreted.json.transactionId)?.replace(/,$/, ''), options } };
}

export async function suboptions(
  http: KashaHttp,
  step: string,
  path: string,
  session: KashaSession,
  paymentOptionId: string,
  encoding: KashaBodyEncoding,
  providerData: Json,
): Promise<{ options: Suboption[]; formInputs: KashaFormInput[] } | { outcome: ProviderOutcome }> {
  const fields = { sessionId: session.sessionId, paymentOptionId };
  const answer = encoding === 'multipart' ? await http.postMultipart(step, path, fields) : await http.postJson(step, path, fields);
  const interpreted = interpret(answer, http, providerData);
  if (!interpreted.ok) return { outcome: { ...interpreted.outcome, providerTxId: interpreted.outcome.providerTxId ?? session.transactionId ?? null } };
  const result = asObject(interpreted.json.result) ?? {};
  const rawOptions = Array.isArray(result.options) ? result.options : result.options ? [result.options] : [];
  const options = rawOptions
    .map(asObject)
    .filter((o): o is Json => !!o && !!str(o.id))
    .map((o) => ({ id: String(o.id), name: str(o.name) ?? '', formInputs: asFormInputs(o.formInputs) }));
  return { options, formInputs: asFormInputs(result.formInputs) };
}

export function noOption(http: KashaHttp, kind: OptionKind, session: KashaSession, providerData: Json): ProviderOutcome {
  // Nothing was posted into the session, so Kasha certainly did not take this payment.
  return {
    status: TxStatus.FAILED,
    notTaken: true,
    providerTxId: session.transactionId ?? null,
    providerData,
    failure: {
      code: FailureCode.METHOD_UNAVAILABLE,
      reason: `Kasha offers no ${kind === 'card' ? 'card' : 'bank transfer'} option for this payment`,
      providerMessage:
        session.options
          .map((o) => str(o.name))
          .filter(Boolean)
          .join(', ')
          .slice(0, 500) || null,
    },
    raw: http.raw(),
  };
}

export function invalid(http: KashaHttp, session: KashaSession, providerData: Json, issues: FormIssue[]): ProviderOutcome {
  return {
    status: TxStatus.FAILED,
    providerTxId: session.transactionId ?? null,
    providerData,
    failure: {
      code: FailureCode.INVALID_REQUEST,
      reason: "Kasha's form inputs are not satisfied; nothing was sent",
      providerMessage: issues
        .map((i) => `${i.field} ${i.issue}`)
        .join('; ')
        .slice(0, 500),
    },
    raw: http.raw({ issues }),
  };
}
