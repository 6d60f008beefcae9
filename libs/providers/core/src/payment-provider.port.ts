import type { ErrorDetail } from '@payhub/common';
import type { ProviderConfigDescriptor } from './config/config-descriptor';
import type { TxStatus, TxType } from '@payhub/domain';
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
  /** The provider's config schema (account fields, secrets, XML form, base URLs), served by the registry. */
  readonly configDescriptor: ProviderConfigDescriptor;
  supports(txType: TxType, service?: string | null): boolean;
  /**
   * Checks the provider's own rules on a request before payhub stores anything (no network): the
   * problems found are answered as a 400 and nothing is written.
   */
  validate?(req: DepositRequest | WithdrawalRequest, account: ResolvedAccount): ErrorDetail[];
  deposit(req: DepositRequest, account: ResolvedAccount): Promise<ProviderOutcome>;
  withdraw(req: WithdrawalRequest, account: ResolvedAccount): Promise<ProviderOutcome>;
  refund?(req: RefundRequest, account: ResolvedAccount): Promise<ProviderOutcome>;
  reverse?(req: ReversalRequest, account: ResolvedAccount): Promise<ProviderOutcome>;
  approvePayout?(req: PayoutDecisionRequest, account: ResolvedAccount): Promise<ProviderOutcome>;
  declinePayout?(req: PayoutDecisionRequest, account: ResolvedAccount): Promise<ProviderOutcome>;
  checkStatus(tx: TransactionView, account: ResolvedAccount): Promise<ProviderOutcome>;
  parseCallback(req: RawCallback, accounts: AccountLookup): Promise<VerifiedCallback>;

  /**
   * The provider refunds only the whole settled amount, once (Kasha's refund by reference): a partial or
   * second refund is refused before anything is stored, so it never uses up a `merchantRefundId`.
   */
  readonly refundsWholeAmountOnly?: boolean;
  /** How long a customer session (WAITING_INPUT) lives at the provider; reconciliation expires it after. */
  readonly sessionLifetimeMs?: number;
  /**
   * Asks about several transactions of one account in one call (e.g. Paykassma's batch pull); status sync
   * prefers it to one checkStatus per transaction. A transaction missing from the answer is checked alone.
   */
  checkStatusBatch?(txs: TransactionView[], account: ResolvedAccount): Promise<Map<string, ProviderOutcome>>;
  /** Balances of the account, for the daily reconciliation report. */
  getBalances?(account: ResolvedAccount): Promise<ProviderBalance[]>;
  /** What the provider holds for the account in [from, to), for the daily reconciliation report. */
  listTransactions?(account: ResolvedAccount, from: Date, to: Date): Promise<ProviderTransactionRecord[]>;
  /**
   * The request fields a method needs at this provider, exactly (beyond the blocks payhub's API itself
   * requires): `GET /v1/payment-methods` lists them, and a payment that carries them is not refused for
   * a missing field. Absent: the txType's generic fields are listed.
   */
  inputFields?(method: { txType: TxType; service: string | null }, account: ResolvedAccount): ProviderInputField[];
  /** The methods the provider offers the account right now (e.g. Paykassma `payment-systems/available`). */
  paymentMethods?(account: ResolvedAccount, query: ProviderMethodsQuery): Promise<ProviderPaymentMethod[]>;
  /**
   * The customer's proof of payment for a deposit waiting for it (Paykassma activation). An answer of
   * `WAITING_INPUT` with a `failure` means the provider refused this attempt and the customer may retry.
   */
  activate?(req: ActivationRequest, account: ResolvedAccount): Promise<ProviderOutcome>;
}

export interface ProviderMethodsQuery {
  direction: 'DEPOSIT' | 'WITHDRAWAL';
  currency: string;
  country: string | null;
  /** The customer the list is for, where the provider personalises it. */
  userId?: string | null;
}

export interface ProviderInputField {
  /** A request path, e.g. `customer.identify.number`, `activation.screenshot`. */
  field: string;
  required: boolean;
}

export interface ProviderPaymentMethod {
  txType: TxType;
  /** The provider's own method id (e.g. a Paykassma wallet type), used as the payment's `service`. */
  service: string;
  name: string;
  currency: string;
  logo?: string | null;
  /** Request fields the method needs, e.g. `transactionNumber`, `screenshot` at activation. */
  inputFields: ProviderInputField[];
  /** Minor units: the smallest amount the provider credits for this method now (e.g. Paykassma's minimum deposit). */
  minAmount?: bigint | null;
  /** Provider hints: is the method manual, does it need a payment bill, a guide video/image. */
  hints?: Record<string, unknown>;
}

export interface ActivationRequest {
  tx: TransactionView;
  /** The transaction number the customer got from their wallet or bank. */
  transactionNumber: string;
  /** Minor units, what the customer says they paid. */
  amount?: bigint | null;
  /** Base64 image of the payment, where the method asks for one. */
  screenshot?: string | null;
  /** The customer, as given at deposit creation. */
  userId: string;
}

export interface ProviderBalance {
  currency: string;
  /** Minor units. */
  amount: bigint;
}

export interface ProviderTransactionRecord {
  /** payhub's transaction id as the provider echoes it, when it does. */
  txId: string | null;
  providerTxId: string | null;
  status: TxStatus;
  /** Minor units. */
  amount: bigint;
  currency: string;
}
