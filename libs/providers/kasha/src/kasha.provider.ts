import { Injectable } from '@nestjs/common';
import { ErrorDetail } from '@payhub/common';
import {
  AccountLookup,
  DepositRequest,
  PaymentProvider,
  PaymentProviderAdapter,
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
import { TxType } from '@payhub/domain';
import { KASHA_CONFIG_DESCRIPTOR } from './kasha-account.schema';
import { kashaDeposit } from './kasha-deposit.flow';
import { kashaNotification } from './kasha-notification.flow';
import { kashaApprovePayout, kashaDeclinePayout, kashaWithdraw } from './kasha-payout.flow';
import { kashaRefund } from './kasha-refund.flow';
import { flowOf, KASHA_SERVICES, KASHA_SESSION_SECONDS, payoutFlowOf } from './kasha-session.flow';
import type { KashaSettings } from './kasha-settings';
import { kashaCheckStatus } from './kasha-status-check.flow';

export { KASHA_SERVICES, KASHA_SESSION_SECONDS } from './kasha-session.flow';
export const KASHA_PROVIDER_ID = 'kasha';

/**
 * Kasha API v2 (docs: `providers/kasha-api-v2.md`, NOTES §3). Stateless: the account carries base
 * URL, paths, API-key header and timeout. Notifications are not signed, so they only ever trigger a
 * status check. docs/providers/kasha.md says which call happens when. Cut like hyperswitch's
 * connectors: this class (capabilities, validation, inputs) over one file per flow (`kasha-*.flow.ts`),
 * the request builders (`kasha-request.ts`) and the status tables (`kasha-status.ts`).
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
    const isPayout = req.txType === TxType.BankLocalWithdrawal && payoutFlowOf(req, account.settings as KashaSettings) === 'direct';
    const directBank = req.txType === TxType.BankDeposit && flowOf(req, account.settings as KashaSettings) === 'direct';
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

  deposit(req: DepositRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    return kashaDeposit(req, account);
  }

  /**
   * Creates the payout at Kasha, where it stays PENDING until `settle-payout`. payhub calls this only
   * after staff approval (SubmitPayoutUseCase), so the payout is PROCESSING for payhub and
   * `approvePayout` follows at once. Beneficiary inputs are checked against Kasha's own validations
   * first, so a beneficiary Kasha would refuse never creates a payout there.
   */
  withdraw(req: WithdrawalRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    return kashaWithdraw(req, account);
  }

  /** Staff approved: `settle-payout` APPROVE hands the payout to Kasha's processor (PROCESSING). */
  approvePayout(req: PayoutDecisionRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    return kashaApprovePayout(req, account);
  }

  /** Staff declined: `settle-payout` DECLINE; a payout Kasha never received needs no call. */
  declinePayout(req: PayoutDecisionRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    return kashaDeclinePayout(req, account);
  }

  /** Kasha refunds by merchant reference, the whole amount only. */
  refund(req: RefundRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    return kashaRefund(req, account);
  }

  /** Where Kasha says the transaction stands. A status check never fails a payment for a transport error. */
  checkStatus(tx: TransactionView, account: ResolvedAccount): Promise<ProviderOutcome> {
    return kashaCheckStatus(tx, account);
  }

  /**
   * Kasha's notifications carry no documented signature, so nothing in them is believed: they name
   * a payhub transaction (by the per-transaction URL or `merchantReference`) whose status is then
   * asked of Kasha. A repeat of the same body is a duplicate; a new body checks again.
   */
  parseCallback(req: RawCallback, accounts: AccountLookup): Promise<VerifiedCallback> {
    return kashaNotification(req, accounts);
  }
}
