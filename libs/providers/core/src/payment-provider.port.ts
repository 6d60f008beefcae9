import type { TxType } from '@payhub/transactions';
import type {
  AccountLookup,
  DepositRequest,
  PayoutDecisionRequest,
  ProviderId,
  ProviderOutcome,
  RawCallback,
  RefundRequest,
  ResolvedAccount,
  ReversalRequest,
  TransactionView,
  VerifiedCallback,
  WithdrawalRequest,
} from './provider.types';

/**
 * The port every provider implements once. Adapters are stateless: every per-request fact arrives in
 * the arguments. A timeout, a 5xx or an unreadable answer yields INCONSISTENT, never FAILED.
 */
export interface PaymentProvider {
  readonly id: ProviderId;
  supports(txType: TxType, service?: string | null): boolean;
  deposit(req: DepositRequest, account: ResolvedAccount): Promise<ProviderOutcome>;
  withdraw(req: WithdrawalRequest, account: ResolvedAccount): Promise<ProviderOutcome>;
  refund?(req: RefundRequest, account: ResolvedAccount): Promise<ProviderOutcome>;
  reverse?(req: ReversalRequest, account: ResolvedAccount): Promise<ProviderOutcome>;
  approvePayout?(req: PayoutDecisionRequest, account: ResolvedAccount): Promise<ProviderOutcome>;
  declinePayout?(req: PayoutDecisionRequest, account: ResolvedAccount): Promise<ProviderOutcome>;
  checkStatus(tx: TransactionView, account: ResolvedAccount): Promise<ProviderOutcome>;
  parseCallback(req: RawCallback, accounts: AccountLookup): Promise<VerifiedCallback>;
}
