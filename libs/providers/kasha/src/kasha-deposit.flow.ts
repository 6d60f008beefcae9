import { DepositRequest, ProviderOutcome, ResolvedAccount } from '@payhub/providers-core';
import { TxStatus, TxType } from '@payhub/domain';
import { interpret, KASHA_REDIRECT, KASHA_SUCCESS, linkOf, messageOf, str, transactionIdOf, unknown } from './kasha-answers';
import { asFormInputs, fillFormInputs } from './kasha-form-inputs';
import { KashaHttp } from './kasha-http';
import { cardData, chooseSuboption, pickOption, withAmount } from './kasha-request';
import type { KashaSettings, OptionKind } from './kasha-settings';
import { KASHA_SESSION_SECONDS, flowOf, invalid, noOption, openSession, sessionBody, suboptions } from './kasha-session.flow';

type Json = Record<string, unknown>;

export async function kashaDeposit(req: DepositRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
  const http = new KashaHttp(account);
  const settings = account.settings as KashaSettings;
  const flow = flowOf(req, settings);
  const expiresAt = new Date(Date.now() + (settings.sessionLifetimeSeconds ?? KASHA_SESSION_SECONDS) * 1000).toISOString();
  const body = sessionBody(req, account);

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

  const opened = await openSession(http, 'payment-options', http.paths.paymentOptions, body, req);
  if ('outcome' in opened) return opened.outcome;
  const session = opened.session;
  const kind: OptionKind = req.txType === TxType.CreditcardDeposit ? 'card' : 'bankTransfer';
  const providerData: Json = { flow, sessionId: session.sessionId, sessionExpiresAt: expiresAt };
  const option = pickOption(session.options, kind, settings);
  if (!option) return noOption(http, kind, session, providerData);
  const paymentOptionId = String(option.paymentOptionId);
  providerData.paymentOptionId = paymentOptionId;

  let optionId: string | null = null;
  let extraData: Record<string, string> = {};
  if (kind === 'bankTransfer') {
    const sub = await suboptions(
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
      return invalid(http, session, providerData, [
        { field: 'bank.bankCode', issue: `must name one of Kasha's options: ${sub.options.map((o) => `${o.id} (${o.name})`).join(', ')}` },
      ]);
    }
    if (flow === 'direct') {
      const filled = fillFormInputs(sub.formInputs, req, settings.formInputMap);
      if (filled.issues.length) return invalid(http, session, providerData, filled.issues);
      extraData = filled.values;
    }
  } else if (flow === 'direct') {
    const card = cardData(req, asFormInputs(option.extraData), settings);
    if ('issues' in card) return invalid(http, session, providerData, card.issues);
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
