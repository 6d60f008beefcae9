import { DomainError, ErrorCode, ErrorDetail, asJsonMajor, toMajorString } from '@payhub/common';
import { ActivationRequest, ProviderOutcome, ResolvedAccount } from '@payhub/providers-core';
import { FailureCode, TxStatus } from '@payhub/domain';
import { callPaykassma, PaykassmaExchange, PaykassmaRequest } from './paykassma-http';
import { messageOf, readAnswer } from './paykassma-answers';
import { decodeScreenshot } from './paykassma-media';
import { DEFAULT_ACTIVATION_AMOUNT_WALLETS, depositData, Json, listSetting, screenshotRequired, settingsOf } from './paykassma-settings';

/** Transaction-number formats the documents give per PS (Itau Paraguay: 6 to 10 digits). */
const KEY1_FORMATS: Record<string, { pattern: RegExp; issue: string }> = {
  itau_ml: { pattern: /^\d{6,10}$/, issue: 'must be 6 to 10 digits (Itau transaction number)' },
};

export async function paykassmaActivate(req: ActivationRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
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
