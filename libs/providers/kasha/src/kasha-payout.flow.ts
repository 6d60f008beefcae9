import { PayoutDecisionRequest, ProviderOutcome, ResolvedAccount, WithdrawalRequest } from '@payhub/providers-core';
import { DomainError, ErrorCode } from '@payhub/common';
import { TxStatus } from '@payhub/domain';
import { interpret, KASHA_SUCCESS, linkOf, messageOf, str, transactionIdOf, unknown } from './kasha-answers';
import { fillFormInputs } from './kasha-form-inputs';
import { KashaHttp } from './kasha-http';
import { AMOUNT_PLACEHOLDER, chooseSuboption, compact, pickOption, withAmount } from './kasha-request';
import type { KashaSettings } from './kasha-settings';
import { declinedByStaff, kashaStatusOf, mapSettleAnswer } from './kasha-status';
import { KASHA_SESSION_SECONDS, invalid, noOption, openSession, payoutFlowOf, sessionBody, suboptions } from './kasha-session.flow';

type Json = Record<string, unknown>;

/**
 * Creates the payout at Kasha, where it stays PENDING until `settle-payout`. payhub calls this only
 * after staff approval (SubmitPayoutUseCase), so the payout is PROCESSING for payhub and
 * `approvePayout` follows at once. Beneficiary inputs are checked against Kasha's own validations
 * first, so a beneficiary Kasha would refuse never creates a payout there.
 */
export async function kashaWithdraw(req: WithdrawalRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
  const http = new KashaHttp(account);
  const settings = account.settings as KashaSettings;
  if (payoutFlowOf(req, settings) === 'hosted') return hostedPayout(http, req, account);
  const body = { ...sessionBody(req, account), ...(settings.merchantDomain ? { merchantDomain: settings.merchantDomain } : {}) };
  const opened = await openSession(http, 'payout-options', http.paths.payoutOptions, body, req);
  if ('outcome' in opened) return opened.outcome;
  const session = opened.session;
  const providerData: Json = { sessionId: session.sessionId };
  const option = pickOption(session.options, 'bankTransfer', settings);
  if (!option) return noOption(http, 'bankTransfer', session, providerData);
  const paymentOptionId = String(option.paymentOptionId);
  providerData.paymentOptionId = paymentOptionId;

  const sub = await suboptions(
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
    return invalid(http, session, providerData, [
      { field: 'bank.bankCode', issue: `must name one of Kasha's options: ${sub.options.map((o) => `${o.id} (${o.name})`).join(', ')}` },
    ]);
  }
  const selected = sub.options.find((o) => o.id === optionId);
  const filled = fillFormInputs(selected?.formInputs.length ? selected.formInputs : sub.formInputs, req, settings.formInputMap);
  if (filled.issues.length) return invalid(http, session, providerData, filled.issues);
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

/**
 * Kasha's hosted payout link ("Get Hosted Cashier link" for payouts): the documented body only, the
 * customer enters the beneficiary at Kasha. The link goes to the merchant as the REDIRECT.
 */
async function hostedPayout(http: KashaHttp, req: WithdrawalRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
  const settings = account.settings as KashaSettings;
  const session = sessionBody(req, account);
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

/** Staff approved: `settle-payout` APPROVE hands the payout to Kasha's processor (PROCESSING). */
export async function kashaApprovePayout(req: PayoutDecisionRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
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
  return settle(req, account, 'APPROVE');
}

/** Staff declined: `settle-payout` DECLINE; a payout Kasha never received needs no call. */
export async function kashaDeclinePayout(req: PayoutDecisionRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
  if (!req.tx.providerTxId) {
    return {
      status: TxStatus.FAILED,
      failure: declinedByStaff(req.reason),
      providerData: { settlement: 'DECLINE' },
      raw: { note: 'no payout exists at Kasha; nothing was sent' },
    };
  }
  return settle(req, account, 'DECLINE');
}

async function settle(req: PayoutDecisionRequest, account: ResolvedAccount, action: 'APPROVE' | 'DECLINE'): Promise<ProviderOutcome> {
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
