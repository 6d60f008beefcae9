import { Injectable } from '@nestjs/common';
import { ErrorDetail } from '@payhub/common';
import { FailureCode, refundCeiling, TxType } from '@payhub/domain';
import {
  AccountLookup,
  DepositRequest,
  PaymentProvider,
  PaymentProviderAdapter,
  ProviderBalance,
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
import { INTERKASSA_SESSION_SECONDS, interkassaDeposit, UPI_ADDRESS } from './interkassa-deposit.flow';
import { refusedBeforeSending } from './interkassa-outcomes';
import { interkassaWithdraw } from './interkassa-payout.flow';
import { interkassaBalances, interkassaTransactions } from './interkassa-reconciliation.flow';
import { refundInvoice } from './interkassa-refund.flow';
import { interkassaCheckStatus } from './interkassa-status-check.flow';
import { INTERKASSA_CONFIG_DESCRIPTOR } from './interkassa-account.schema';
import { parseInteraction, parseWithdrawalCallback, readFields } from './interkassa-callbacks';

export { INTERKASSA } from './interkassa.constants';
export { INTERKASSA_SESSION_SECONDS } from './interkassa-deposit.flow';

/**
 * Interkassa: deposits through the SCI in host-to-host JSON mode (`ik_act=process`, `ik_int=json`),
 * payouts, refunds and status through the REST API v1. Stateless: the account carries every key.
 * This class holds capabilities, validation and inputs; each flow is its own `interkassa-*.flow.ts`.
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

  deposit(req: DepositRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    return interkassaDeposit(req, account);
  }

  withdraw(req: WithdrawalRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    return interkassaWithdraw(req, account);
  }

  refund(req: RefundRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    return refundInvoice(req, account, 'refund');
  }

  /** No reversal endpoint is published: a reversal is a full refund of the invoice. */
  async reverse(req: ReversalRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    if (req.amount !== refundCeiling(req.parent))
      return refusedBeforeSending('A reversal returns the whole deposit; use a refund for part of it', FailureCode.INVALID_REQUEST);
    return refundInvoice(req, account, 'reversal');
  }

  checkStatus(tx: TransactionView, account: ResolvedAccount): Promise<ProviderOutcome> {
    return interkassaCheckStatus(tx, account);
  }

  async parseCallback(req: RawCallback, accounts: AccountLookup): Promise<VerifiedCallback> {
    const fields = readFields(req);
    if (req.params.txId || fields.ik_inv_id !== undefined) return parseInteraction(req.params.txId ?? fields.ik_pm_no, fields, accounts);
    return parseWithdrawalCallback(fields, accounts);
  }

  /** The payout purse (GET /purse/{walletId}), for the reconciliation report. */
  getBalances(account: ResolvedAccount): Promise<ProviderBalance[]> {
    return interkassaBalances(account);
  }

  /** Invoices and payouts of the checkout created in [from, to) (co-invoice and withdraw lists by date). */
  listTransactions(account: ResolvedAccount, from: Date, to: Date): Promise<ProviderTransactionRecord[]> {
    return interkassaTransactions(account, from, to);
  }
}
