import type { Failure, NextAction, TxStatus, TxType } from '@payhub/domain';

export type { NextAction } from '@payhub/domain';

export const PROVIDER_IDS = ['interkassa', 'paykassma', 'kasha'] as const;
/** Real providers; tests may register other ids through the same registry. */
export type ProviderId = (typeof PROVIDER_IDS)[number] | (string & {});

export type ThreeDsMode = 'off' | 'only_3ds' | 'required_3ds_v1' | 'required_3ds_v2';
export interface ThreeDsDecision {
  enabled: boolean;
  mode: ThreeDsMode;
}

/** Card data as the customer gave it. Lives only in memory on the way to the provider. */
export interface CardInput {
  number: string;
  expiryMonth: string;
  expiryYear: string;
  cvv?: string;
  holder?: string;
}

export interface BrowserInfo {
  acceptHeader?: string;
  userAgent?: string;
  language?: string;
  colorDepth?: number;
  screenHeight?: number;
  screenWidth?: number;
  timeZoneOffset?: number;
  javaEnabled?: boolean;
  javaScriptEnabled?: boolean;
  ip?: string;
}

export interface CustomerInfo {
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  identify?: { number: string; type: string };
  device?: string;
  address?: { line1?: string; line2?: string; streetNumber?: string; city?: string; state?: string; postalCode?: string; country?: string };
}

export interface BankInfo {
  name?: string;
  accountNumber?: string;
  accountName?: string;
  clearingNumber?: string;
  bankCode?: string;
  branchCode?: string;
  iban?: string;
  accountType?: string;
  accountDigit?: string;
  providerBankCode?: string;
  paymentMethod?: string;
  paymentProvider?: string;
}

export interface OrderInfo {
  tax?: string;
  items?: Array<{ productName: string; quantity?: number; dimensions?: string; description?: string }>;
  shippingAddress?: CustomerInfo['address'];
}

/** What routing decided for this payment, handed to the adapter. */
export interface RoutingHints {
  payway?: string | null;
  threeDs: ThreeDsDecision;
}

export interface PaymentRequestBase {
  txId: string;
  merchantId: string;
  merchantTxId: string;
  userId: string;
  txType: TxType;
  service: string | null;
  /** Minor units. Adapters convert with `toMajorString` at the edge. */
  amount: bigint;
  currency: string;
  country: string | null;
  customer?: CustomerInfo;
  bank?: BankInfo;
  wallet?: { account: string };
  browser?: BrowserInfo;
  redirectUrls?: { success?: string; failure?: string; pending?: string };
  /** What was bought (informational), for providers that take it. */
  order?: OrderInfo;
  /** payhub's callback URL for this transaction at this provider. */
  callbackUrl: string;
  routing: RoutingHints;
}

export interface DepositRequest extends PaymentRequestBase {
  card?: CardInput;
}

export interface WithdrawalRequest extends PaymentRequestBase {
  card?: CardInput;
}

export interface RefundRequest {
  txId: string;
  parent: TransactionView;
  amount: bigint;
  currency: string;
  callbackUrl: string;
}

export type ReversalRequest = RefundRequest;

export interface PayoutDecisionRequest {
  tx: TransactionView;
  reason?: string;
}

/** The provider-relevant view of a stored transaction. */
export interface TransactionView {
  id: string;
  merchantId: string;
  merchantTxId: string;
  txType: TxType;
  service: string | null;
  status: TxStatus;
  amount: bigint;
  /** What the provider settled when it differs from `amount`; `refundCeiling` reads it. */
  settledAmount: bigint | null;
  currency: string;
  provider: string;
  providerAccount: string;
  providerTxId: string | null;
  parentId: string | null;
  createdAt: Date;
  providerData: Record<string, unknown> | null;
}

/** A provider config's account as an adapter uses it: secrets decrypted, config-level settings merged. */
export interface ResolvedAccount {
  provider: string;
  name: string;
  merchantId: string;
  /** Account fields of the provider's schema; its secret fields are `Secret`s (`revealed()` where they go on the wire). */
  settings: Record<string, unknown>;
  testMode: boolean;
  paywayMapping: string | null;
  descriptor: string | null;
  baseUrls: Record<string, string>;
  timeoutMs: number;
}

export interface ProviderOutcome {
  status: TxStatus;
  providerTxId?: string | null;
  nextAction?: NextAction | null;
  failure?: Failure | null;
  /**
   * Amount (minor units of `currency`) and currency the provider states for the payment, whenever the
   * answer carries them. A SUCCESSFUL result that states another amount or currency than the
   * transaction's is never applied as is: it leaves the transaction INCONSISTENT with an
   * AMOUNT_MISMATCH / CURRENCY_MISMATCH conflict (ApplyOutcomeService).
   */
  amount?: bigint | null;
  currency?: string | null;
  /**
   * The provider documents a credited amount other than the requested one as a normal outcome here
   * (Paykassma activation amount, savings) and the merchant's account allows it: the payment then
   * settles SUCCESSFUL with `settledAmount`, and the webhook says the amount changed.
   */
  creditedAmountAllowed?: boolean;
  /** Provider facts to keep on the transaction (e.g. a payment session id). */
  providerData?: Record<string, unknown> | null;
  /** Request and response as exchanged, already redacted by the adapter. */
  raw: { request?: unknown; response?: unknown; [key: string]: unknown };
  /**
   * The provider certainly did not take the payment (connection refused, method or account
   * unavailable): the only case where routing may try a fallback target.
   */
  notTaken?: boolean;
}

export interface RawCallback {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string>;
  params: Record<string, string>;
  /** Body exactly as received, for signature checks. */
  rawBody: string;
  body: unknown;
  contentType: string | null;
}

/** Lets an adapter find the account whose keys verify a callback. */
export interface AccountLookup {
  forTransaction(txId: string): Promise<ResolvedAccount | null>;
  /** The stored transaction of this provider the callback names (how it was sent, e.g. its payway). */
  transaction(txId: string): Promise<TransactionView | null>;
  candidates(): Promise<ResolvedAccount[]>;
}

export interface VerifiedCallback {
  /** payhub transaction id(s) the callback concerns; several for batched provider notices. */
  results: Array<{ txId: string; outcome: ProviderOutcome | null }>;
  /** `outcome: null` means: do not trust the body, run a status check instead. */
  dedupKey: string;
  /** The exact response the provider expects. */
  response: { status: number; body: string; contentType: string };
}
