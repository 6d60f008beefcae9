import { toMajorString } from '@payhub/common';
import { FailureCode, TxStatus, TxType } from '@payhub/domain';
import { ProviderOutcome, ResolvedAccount, WithdrawalRequest } from '@payhub/providers-core';
import { UPI_ADDRESS } from './interkassa-deposit.flow';
import { interkassaApi, stringOrNull } from './interkassa-api';
import { interkassaSettings } from './interkassa-settings';
import { MappedStatus, mapWithdrawState } from './interkassa-status';
import { inconsistent, notSent, refusedBeforeSending, refusedByProvider } from './interkassa-outcomes';

/** A payout through POST /withdraw (the SDK's fields, `details[...]`, paymentNo = payhub id); accepted is PROCESSING. */
export async function interkassaWithdraw(req: WithdrawalRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
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
