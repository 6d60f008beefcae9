import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, ErrorDetail } from '@payhub/common';
import {
  AccountLookup,
  DepositRequest,
  PaymentProvider,
  PaymentProviderAdapter,
  PaymentRequestBase,
  PayoutDecisionRequest,
  ProviderInputField,
  ProviderOutcome,
  RawCallback,
  RefundRequest,
  ResolvedAccount,
  TransactionView,
  VerifiedCallback,
  WithdrawalRequest,
} from '@payhub/providers-core';
import { FailureCode, refundCeiling, TxStatus, TxType } from '@payhub/domain';
import { KASHA_CONFIG_DESCRIPTOR, KashaBodyEncoding, KashaDepositFlow, KashaPayoutFlow } from './kasha-account.schema';
import { asObject, interpret, KASHA_REDIRECT, KASHA_SUCCESS, linkOf, messageOf, str, transactionIdOf, unknown, unwrap } from './kasha-answers';
import { asFormInputs, fillFormInputs, FormIssue, KashaFormInput } from './kasha-form-inputs';
import { KashaHttp } from './kasha-http';
import { AMOUNT_PLACEHOLDER, cardData, chooseSuboption, compact, pickOption, Suboption, withAmount } from './kasha-request';
import type { KashaSession, KashaSettings, OptionKind } from './kasha-settings';
import {
  declinedByStaff,
  isDeposit,
  KASHA_EXPIRED_SESSION,
  kashaStatusOf,
  mapKashaStatus,
  mapRefundAnswer,
  mapSettleAnswer,
  reportedMoney,
  sessionExpired,
} from './kasha-status';

export const KASHA_PROVIDER_ID = 'kasha';
/** `service` values a merchant sends to choose the deposit flow per request. */
export const KASHA_SERVICES = { hosted: 'HOSTED_CASHIER', hybrid: 'HYBRID_LINK' } as const;
/** The most calls one payment makes in a row (payment-options, payment-suboptions, direct-payment). */
const KASHA_CALLS_PER_PAYMENT = 3;
/** Kasha: "Session expires after 30 min, only 1 payment is allowed for each session." */
export const KASHA_SESSION_SECONDS = 30 * 60;

type Json = Record<string, unknown>;

/**
 * Kasha API v2 (docs: `providers/kasha-api-v2.md`, NOTES §3). Stateless: the account carries base
 * URL, paths, API-key header and timeout. Notifications are not signed, so they only ever trigger a
 * status check. docs/providers/kasha.md says which call happens when.
 */
@PaymentProviderAdapter()
@Injectable()
export class KashaProvider implements PaymentProvider {
  readonly id = KASHA_PROVIDER_ID;
  readonly configDescriptor = KASHA_CONFIG_DESCRIPTOR;
  /** Kasha's documented session lifetime; an account's `sessionLifetimeSeconds` is applied per transaction. */
  readonly sessionLifetimeMs = KASHA_SESSION_SECONDS * 1000;
  /** Refund by reference returns the whole transaction; the document has no amount field. */
  readonly refundsWholeAmountOnly = true;

  /**
   * Kasha's bank flows ask for the customer's document (`identify`: CPF, DNI, RUT, …) in every sample
   * and in their form inputs; without it Kasha refuses the payment after payhub stored it, so it is a
   * 400 here. Cards and Kasha's own cashier (hosted, hybrid) collect what they need themselves.
   */
  validate(req: DepositRequest | WithdrawalRequest, account: ResolvedAccount): ErrorDetail[] {
    const isPayout = req.txType === TxType.BankLocalWithdrawal && this.payoutFlowOf(req, account.settings as KashaSettings) === 'direct';
    const directBank = req.txType === TxType.BankDeposit && this.flowOf(req, account.settings as KashaSettings) === 'direct';
    if (!isPayout && !directBank) return [];
    const issues: ErrorDetail[] = [];
    if (!req.customer?.identify?.number)
      issues.push({ field: 'customer.identify.number', issue: "is required by Kasha for bank transfers (the customer's document)" });
    if (!req.customer?.identify?.type) issues.push({ field: 'customer.identify.type', issue: 'is required by Kasha for bank transfers (e.g. BRA_CPF, DNI)' });
    return issues;
  }

  /**
   * The direct flows' inputs: Kasha's card inputs (holder and CVV are required in its options), the
   * customer's name and document, the bank among Kasha's suboptions. Kasha's own cashier needs none.
   */
  inputFields(method: { txType: TxType; service: string | null }, account: ResolvedAccount): ProviderInputField[] {
    const service = method.service?.toUpperCase() ?? null;
    const flow =
      service === KASHA_SERVICES.hosted
        ? 'hosted'
        : service === KASHA_SERVICES.hybrid
          ? 'hybrid'
          : ((account.settings as KashaSettings).depositFlow ?? 'direct');
    const customer: ProviderInputField[] = [
      { field: 'customer.firstName', required: true },
      { field: 'customer.lastName', required: false },
      { field: 'customer.email', required: false },
      { field: 'customer.phone', required: false },
    ];
    const identify: ProviderInputField[] = [
      { field: 'customer.identify.number', required: true },
      { field: 'customer.identify.type', required: true },
    ];
    switch (method.txType) {
      case TxType.CreditcardDeposit:
        return flow === 'direct' ? [{ field: 'card.cvv', required: true }, { field: 'card.holder', required: true }, ...customer] : customer;
      case TxType.BankDeposit:
        return flow === 'direct' ? [...customer, ...identify, { field: 'bank.bankCode', required: true }] : customer;
      case TxType.BankLocalWithdrawal:
        // Kasha's hosted payout cashier asks the customer for the beneficiary's details itself.
        if (service === KASHA_SERVICES.hosted || (service === null && (account.settings as KashaSettings).payoutFlow === 'hosted')) return customer;
        return [
          ...customer,
          ...identify,
          { field: 'bank.accountNumber', required: true },
          { field: 'bank.accountType', required: false },
          { field: 'bank.bankCode', required: false },
        ];
      default:
        return [];
    }
  }

  supports(txType: TxType, service?: string | null): boolean {
    const s = service?.toUpperCase() ?? null;
    const flowService = s === KASHA_SERVICES.hosted || s === KASHA_SERVICES.hybrid;
    switch (txType) {
      case TxType.CreditcardDeposit:
        return s === null || flowService;
      case TxType.BankDeposit:
        return s === null || s === 'NET_BANKING' || flowService;
      case TxType.BankLocalWithdrawal:
        return s === null || s === KASHA_SERVICES.hosted;
      case TxType.Refund:
        return true;
      default:
        return false;
    }
  }

  async deposit(req: DepositRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    const http = new KashaHttp(account);
    const settings = account.settings as KashaSettings;
    const flow = this.flowOf(req, settings);
    const expiresAt = new Date(Date.now() + (settings.sessionLifetimeSeconds ?? KASHA_SESSION_SECONDS) * 1000).toISOString();
    const body = this.sessionBody(req, account);

    if (flow === 'hosted') {
      // `storedToken` is documented on the hosted cashier only (kasha-account.schema.ts, storedTokenSource).
      const hosted = settings.storedTokenSource === 'userId' ? { ...body, storedToken: req.userId } : body;
      const interpreted = interpret(await http.postJson('hosted-payment', http.paths.hostedPayin, hosted, withAmount(hosted, req)), http);
      if (!interpreted.ok) return interpreted.outcome;
      const url = linkOf(interpreted.json);
      const providerData = { flow, sessionId: str(interpreted.json.sessionId) ?? null, sessionExpiresAt: expiresAt };
      if (!url) return unknown({ raw: http.raw(), providerData }, "Kasha's hosted cashier answer holds no link");
      return {
        status: TxStatus.WAITING_INPUT,
        providerTxId: transactionIdOf(interpreted.json) ?? null,
        nextAction: { type: 'REDIRECT', url, method: 'GET', params: {} },
        providerData,
        raw: http.raw(),
      };
    }

    const opened = await this.openSession(http, 'payment-options', http.paths.paymentOptions, body, req);
    if ('outcome' in opened) return opened.outcome;
    const session = opened.session;
    const kind: OptionKind = req.txType === TxType.CreditcardDeposit ? 'card' : 'bankTransfer';
    const providerData: Json = { flow, sessionId: session.sessionId, sessionExpiresAt: expiresAt };
    const option = pickOption(session.options, kind, settings);
    if (!option) return this.noOption(http, kind, session, providerData);
    const paymentOptionId = String(option.paymentOptionId);
    providerData.paymentOptionId = paymentOptionId;

    let optionId: string | null = null;
    let extraData: Record<string, string> = {};
    if (kind === 'bankTransfer') {
      const sub = await this.suboptions(
        http,
        'payment-suboptions',
        http.paths.paymentSuboptions,
        session,
        paymentOptionId,
        settings.paymentSuboptionsEncoding ?? 'multipart',
        providerData,
      );
      if ('outcome' in sub) return sub.outcome;
      optionId = chooseSuboption(sub.options, req);
      // The hybrid cashier lets the customer pick the bank; the direct flow needs it now.
      if (!optionId && flow === 'direct' && sub.options.length) {
        return this.invalid(http, session, providerData, [
          { field: 'bank.bankCode', issue: `must name one of Kasha's options: ${sub.options.map((o) => `${o.id} (${o.name})`).join(', ')}` },
        ]);
      }
      if (flow === 'direct') {
        const filled = fillFormInputs(sub.formInputs, req, settings.formInputMap);
        if (filled.issues.length) return this.invalid(http, session, providerData, filled.issues);
        extraData = filled.values;
      }
    } else if (flow === 'direct') {
      const card = cardData(req, asFormInputs(option.extraData), settings);
      if ('issues' in card) return this.invalid(http, session, providerData, card.issues);
      extraData = card.values;
    }
    if (optionId) providerData.optionId = optionId;

    const answer =
      flow === 'hybrid'
        ? await http.postJson('hybrid-payment', http.paths.hybridPayment, { sessionId: session.sessionId, paymentOptionId, ...(optionId ? { optionId } : {}) })
        : await http.postJson('direct-payment', http.paths.directPayment, { sessionId: session.sessionId, paymentOptionId, optionId, extraData });
    const interpreted = interpret(answer, http, providerData);
    if (!interpreted.ok) return { ...interpreted.outcome, providerTxId: interpreted.outcome.providerTxId ?? session.transactionId ?? null };
    const providerTxId = transactionIdOf(interpreted.json) ?? session.transactionId ?? null;
    if (interpreted.code === KASHA_SUCCESS && flow === 'direct') {
      // "Initial status … returned in the response" (Kasha's direct guide): for a card that is the
      // authorisation; a bank transfer has only been started, so the money is not there yet.
      if (kind === 'bankTransfer') {
        const url = linkOf(interpreted.json);
        if (url)
          return {
            status: TxStatus.WAITING_INPUT,
            providerTxId,
            nextAction: { type: 'REDIRECT', url, method: 'GET', params: {} },
            providerData,
            raw: http.raw(),
          };
        return { status: TxStatus.PROCESSING, providerTxId, providerData, raw: http.raw() };
      }
      return { status: TxStatus.SUCCESSFUL, providerTxId, providerData, raw: http.raw() };
    }
    if (interpreted.code === KASHA_REDIRECT || (flow === 'hybrid' && interpreted.code === KASHA_SUCCESS)) {
      const url = linkOf(interpreted.json);
      if (url)
        return {
          status: TxStatus.WAITING_INPUT,
          providerTxId,
          nextAction: { type: 'REDIRECT', url, method: 'GET', params: {} },
          providerData,
          raw: http.raw(),
        };
    }
    return unknown(
      { raw: http.raw(), providerTxId, providerData },
      `Kasha answered ${flow === 'hybrid' ? 'hybrid-payment' : 'direct-payment'} with statusCode ${interpreted.code ?? 'none'}`,
      messageOf(interpreted.json),
    );
  }

  /**
   * Creates the payout at Kasha, where it stays PENDING until `settle-payout`. payhub calls this only
   * after staff approval (SubmitPayoutUseCase), so the payout is PROCESSING for payhub and
   * `approvePayout` follows at once. Beneficiary inputs are checked against Kasha's own validations
   * first, so a beneficiary Kasha would refuse never creates a payout there.
   */
  async withdraw(req: WithdrawalRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    const http = new KashaHttp(account);
    const settings = account.settings as KashaSettings;
    if (this.payoutFlowOf(req, settings) === 'hosted') return this.hostedPayout(http, req, account);
    const body = { ...this.sessionBody(req, account), ...(settings.merchantDomain ? { merchantDomain: settings.merchantDomain } : {}) };
    const opened = await this.openSession(http, 'payout-options', http.paths.payoutOptions, body, req);
    if ('outcome' in opened) return opened.outcome;
    const session = opened.session;
    const providerData: Json = { sessionId: session.sessionId };
    const option = pickOption(session.options, 'bankTransfer', settings);
    if (!option) return this.noOption(http, 'bankTransfer', session, providerData);
    const paymentOptionId = String(option.paymentOptionId);
    providerData.paymentOptionId = paymentOptionId;

    const sub = await this.suboptions(
      http,
      'payout-suboptions',
      http.paths.payoutSuboptions,
      session,
      paymentOptionId,
      settings.payoutSuboptionsEncoding ?? 'json',
      providerData,
    );
    if ('outcome' in sub) return sub.outcome;
    const optionId = chooseSuboption(sub.options, req);
    if (!optionId && sub.options.length) {
      return this.invalid(http, session, providerData, [
        { field: 'bank.bankCode', issue: `must name one of Kasha's options: ${sub.options.map((o) => `${o.id} (${o.name})`).join(', ')}` },
      ]);
    }
    const selected = sub.options.find((o) => o.id === optionId);
    const filled = fillFormInputs(selected?.formInputs.length ? selected.formInputs : sub.formInputs, req, settings.formInputMap);
    if (filled.issues.length) return this.invalid(http, session, providerData, filled.issues);
    if (optionId) providerData.optionId = optionId;

    const answer = await http.postJson('create-payout', http.paths.createPayout, {
      sessionId: session.sessionId,
      paymentOptionId,
      ...(optionId ? { optionId } : {}),
      extraData: filled.values,
    });
    const interpreted = interpret(answer, http, providerData);
    if (!interpreted.ok) return { ...interpreted.outcome, providerTxId: interpreted.outcome.providerTxId ?? session.transactionId ?? null };
    const providerTxId = transactionIdOf(interpreted.json) ?? session.transactionId ?? null;
    if (interpreted.code !== KASHA_SUCCESS && interpreted.code !== null) {
      return unknown(
        { raw: http.raw(), providerTxId, providerData },
        `Kasha answered create-payout with statusCode ${interpreted.code}`,
        messageOf(interpreted.json),
      );
    }
    return { status: TxStatus.PROCESSING, providerTxId, providerData: { ...providerData, kashaStatus: 'PENDING' }, raw: http.raw() };
  }

  /** Staff approved: `settle-payout` APPROVE hands the payout to Kasha's processor (PROCESSING). */
  async approvePayout(req: PayoutDecisionRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    if (!req.tx.providerTxId) {
      throw new DomainError(ErrorCode.OPERATION_NOT_SUPPORTED, `Kasha has no payout for ${req.tx.id}: withdraw must create it before it is approved`);
    }
    if (req.tx.providerData?.flow === 'hosted') {
      // Nothing to settle yet: the customer has still to fill Kasha's cashier, and Kasha's portal then
      // confirms it. payhub's approval is already given, so it stays as withdraw left it.
      return {
        status: req.tx.status === TxStatus.PROCESSING ? TxStatus.PROCESSING : TxStatus.WAITING_INPUT,
        providerData: { settlement: 'PORTAL' },
        raw: { note: "a hosted payout is confirmed in Kasha's portal after the customer fills the cashier; no settle-payout is sent" },
      };
    }
    return this.settle(req, account, 'APPROVE');
  }

  /** Staff declined: `settle-payout` DECLINE; a payout Kasha never received needs no call. */
  async declinePayout(req: PayoutDecisionRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    if (!req.tx.providerTxId) {
      return {
        status: TxStatus.FAILED,
        failure: declinedByStaff(req.reason),
        providerData: { settlement: 'DECLINE' },
        raw: { note: 'no payout exists at Kasha; nothing was sent' },
      };
    }
    return this.settle(req, account, 'DECLINE');
  }

  /** Kasha refunds by merchant reference, the whole amount only. */
  async refund(req: RefundRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    if (req.amount !== refundCeiling(req.parent)) {
      return {
        status: TxStatus.FAILED,
        failure: { code: FailureCode.INVALID_REQUEST, reason: 'Kasha refunds only the full settled amount', providerMessage: null },
        raw: { note: 'partial refund refused before sending' },
      };
    }
    const http = new KashaHttp(account);
    const providerData = { refundOf: req.parent.providerTxId ?? null };
    const interpreted = interpret(await http.postJson('refund', http.paths.refund, { merchantReference: req.parent.id }), http, providerData);
    if (!interpreted.ok) return interpreted.outcome;
    const status = kashaStatusOf(interpreted.json);
    const providerTxId = str(interpreted.json._id) ?? req.parent.providerTxId ?? null;
    if (interpreted.code !== KASHA_SUCCESS) {
      return unknown(
        { raw: http.raw(), providerTxId, providerData },
        `Kasha answered refund with statusCode ${interpreted.code ?? 'none'}`,
        messageOf(interpreted.json),
      );
    }
    const mapped = mapRefundAnswer(status, interpreted.json);
    return {
      ...mapped,
      // A full refund: what Kasha says it gave back is compared with the refund (ApplyOutcomeService).
      ...(mapped.status === TxStatus.SUCCESSFUL ? reportedMoney(interpreted.json, req.currency) : {}),
      providerTxId,
      providerData: { ...providerData, kashaStatus: status ?? null },
      raw: http.raw(),
    };
  }

  /** Where Kasha says the transaction stands. A status check never fails a payment for a transport error. */
  async checkStatus(tx: TransactionView, account: ResolvedAccount): Promise<ProviderOutcome> {
    const http = new KashaHttp(account);
    const data = tx.providerData ?? {};
    const kashaId = tx.txType === TxType.Refund ? (str(data.refundOf) ?? tx.providerTxId) : tx.providerTxId;
    if (!kashaId && tx.status === TxStatus.REGISTERED && Date.now() - new Date(tx.createdAt).getTime() < KASHA_CALLS_PER_PAYMENT * account.timeoutMs + 1000) {
      // Kasha notifies before it answers direct-payment, so a notice can find payhub's own call still in
      // flight: that call's answer settles the payment. Only a payment past every call's timeout is unknown.
      return { status: TxStatus.REGISTERED, raw: { note: "payhub's request to Kasha is still in flight; its answer settles the payment" } };
    }
    if (!kashaId) {
      return {
        status: TxStatus.INCONSISTENT,
        failure: { code: FailureCode.PROVIDER_ERROR, reason: 'No Kasha transaction id is known; staff must resolve it', providerMessage: null },
        raw: { note: 'no Kasha transaction id to ask about' },
      };
    }
    const answer = await http.get('transaction-status', http.paths.transactionStatus.replace('{transactionId}', encodeURIComponent(kashaId)));
    const expired = sessionExpired(tx);
    if (answer.kind !== 'response' || answer.status >= 500 || answer.status === 401 || answer.status === 403) {
      return unknown(
        { raw: http.raw() },
        answer.kind === 'response' ? `Kasha answered the status check with HTTP ${answer.status}` : `no answer from Kasha (${answer.kind})`,
      );
    }
    const expireAfterSession = (account.settings as KashaSettings).pendingAfterSessionExpiry === 'expire';
    if (answer.status === 404) {
      if (expired && isDeposit(tx) && expireAfterSession) return { ...KASHA_EXPIRED_SESSION, providerData: { kashaStatus: null }, raw: http.raw() };
      return unknown({ raw: http.raw() }, 'Kasha does not know the transaction');
    }
    const json = unwrap(answer.json);
    const kashaStatus = json ? kashaStatusOf(json) : undefined;
    if (!json || !kashaStatus) return unknown({ raw: http.raw() }, "Kasha's status answer holds no status");
    const mapped = mapKashaStatus(kashaStatus, { tx, json, sessionExpired: expired, expireAfterSession });
    return {
      ...mapped,
      ...(mapped.status === TxStatus.SUCCESSFUL && tx.txType !== TxType.Refund ? reportedMoney(json, tx.currency) : {}),
      providerData: { kashaStatus },
      raw: http.raw(),
    };
  }

  /**
   * Kasha's notifications carry no documented signature, so nothing in them is believed: they name
   * a payhub transaction (by the per-transaction URL or `merchantReference`) whose status is then
   * asked of Kasha. A repeat of the same body is a duplicate; a new body checks again.
   */
  async parseCallback(req: RawCallback, accounts: AccountLookup): Promise<VerifiedCallback> {
    const body = asObject(typeof req.body === 'string' ? safeJson(req.body) : req.body);
    const named = req.params.txId ?? str(body?.merchantReference) ?? str(asObject(body?.result)?.merchantReference);
    if (!named || !/^tx_[0-9A-Z]{26}$/.test(named)) throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The notification names no payhub transaction');
    const account = await accounts.forTransaction(named);
    if (!account) throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The notification names no Kasha transaction of payhub');
    // What the notice says about the payment, not its raw bytes: a body never leaves a digest behind.
    const result = asObject(body?.result) ?? body;
    const said = JSON.stringify([str(result?.status), str(result?.transactionId), str(result?.updatedAt), str(result?.paymentAmount), str(result?.statusCode)]);
    const digest = createHash('sha256').update(said).digest('hex').slice(0, 48);
    return {
      results: [{ txId: named, outcome: null }],
      dedupKey: `kasha:${named}:${digest}`,
      response: { status: 200, body: '{"status":"ok"}', contentType: 'application/json' },
    };
  }

  /**
   * Kasha's hosted payout link ("Get Hosted Cashier link" for payouts): the documented body only, the
   * customer enters the beneficiary at Kasha. The link goes to the merchant as the REDIRECT.
   */
  private async hostedPayout(http: KashaHttp, req: WithdrawalRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    const settings = account.settings as KashaSettings;
    const session = this.sessionBody(req, account);
    const body = compact({
      country: session.country,
      currency: session.currency,
      amount: AMOUNT_PLACEHOLDER,
      redirectUrl: session.redirectUrl,
      notificationUrl: session.notificationUrl,
      customer: session.customer,
      userId: session.userId,
      language: session.language,
      extra1: session.extra1,
      extra2: session.extra2,
      extra3: session.extra3,
    });
    const interpreted = interpret(await http.postJson('hosted-payout', http.paths.hostedPayout, body, withAmount(body, req)), http);
    if (!interpreted.ok) return interpreted.outcome;
    const expiresAt = new Date(Date.now() + (settings.sessionLifetimeSeconds ?? KASHA_SESSION_SECONDS) * 1000).toISOString();
    const providerData = { flow: 'hosted', sessionId: str(interpreted.json.sessionId) ?? null, sessionExpiresAt: expiresAt, kashaStatus: 'PENDING' };
    const providerTxId = transactionIdOf(interpreted.json) ?? null;
    const url = linkOf(interpreted.json);
    if (!url) return unknown({ raw: http.raw(), providerTxId, providerData }, "Kasha's hosted payout answer holds no link");
    return { status: TxStatus.WAITING_INPUT, providerTxId, nextAction: { type: 'REDIRECT', url, method: 'GET', params: {} }, providerData, raw: http.raw() };
  }

  private payoutFlowOf(req: PaymentRequestBase, settings: KashaSettings): KashaPayoutFlow {
    const service = req.service?.toUpperCase();
    if (service === KASHA_SERVICES.hosted) return 'hosted';
    return settings.payoutFlow ?? 'direct';
  }

  private flowOf(req: DepositRequest, settings: KashaSettings): KashaDepositFlow {
    const service = req.service?.toUpperCase();
    if (service === KASHA_SERVICES.hosted) return 'hosted';
    if (service === KASHA_SERVICES.hybrid) return 'hybrid';
    return settings.depositFlow ?? 'direct';
  }

  /** The session request every Kasha flow starts with; `merchantReference` is payhub's transaction id. */
  private sessionBody(req: PaymentRequestBase, account: ResolvedAccount): Json {
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

  private async openSession(
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

  private async suboptions(
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

  private async settle(req: PayoutDecisionRequest, account: ResolvedAccount, action: 'APPROVE' | 'DECLINE'): Promise<ProviderOutcome> {
    const http = new KashaHttp(account);
    const providerData = { settlement: action };
    const interpreted = interpret(
      await http.postJson(`settle-payout ${action}`, http.paths.settlePayout, { action, transactionId: req.tx.providerTxId }),
      http,
      providerData,
    );
    if (!interpreted.ok) return interpreted.outcome;
    const status = kashaStatusOf(interpreted.json) ?? (action === 'APPROVE' ? 'PROCESSING' : 'DECLINED');
    const data = { ...providerData, kashaStatus: status };
    if (interpreted.code !== KASHA_SUCCESS && interpreted.code !== null) {
      return unknown({ raw: http.raw(), providerData: data }, `Kasha answered settle-payout with statusCode ${interpreted.code}`, messageOf(interpreted.json));
    }
    return { ...mapSettleAnswer(status, { json: interpreted.json, action, reason: req.reason }), providerData: data, raw: http.raw() };
  }

  private noOption(http: KashaHttp, kind: OptionKind, session: KashaSession, providerData: Json): ProviderOutcome {
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

  private invalid(http: KashaHttp, session: KashaSession, providerData: Json, issues: FormIssue[]): ProviderOutcome {
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
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
}
