import { toMajorString } from '@payhub/common';
import { ProviderOutcome, ResolvedAccount, WithdrawalRequest } from '@payhub/providers-core';
import { FailureCode, TxStatus } from '@payhub/domain';
import { callPaykassma } from './paykassma-http';
import { withdrawalSignature } from './paykassma-signature';
import { checkWithdrawalBody, parseRequiredFieldOverrides, withdrawalBody } from './paykassma-withdrawal';
import { failed, invalid, readAnswer } from './paykassma-answers';
import { isGeneric, settingsOf } from './paykassma-settings';

export async function paykassmaWithdraw(req: WithdrawalRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
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
  if (answer.kind === 'fail') return failed(FailureCode.INVALID_REQUEST, 'Paykassma refused the withdrawal', exchange.raw, { providerMessage: answer.message });
  return { ...answer.outcome, raw: exchange.raw };
}
