import { createHmac } from 'node:crypto';
import { Module } from '@nestjs/common';
import { DomainError, ErrorCode, safeEqual } from '@payhub/common';
import { IsOptional, IsString } from 'class-validator';
import { defineConfigDescriptor, IsCurrencyList, type ProviderConfigDescriptor } from '@payhub/provider-config';
import {
  AccountLookup,
  ActivationRequest,
  DepositRequest,
  PaymentProvider,
  PaymentProviderAdapter,
  PayoutDecisionRequest,
  ProviderOutcome,
  RawCallback,
  RefundRequest,
  ResolvedAccount,
  ReversalRequest,
  TransactionView,
  VerifiedCallback,
  WithdrawalRequest,
} from '@payhub/providers-core';
import { revealed, type ProviderBalance, type ProviderTransactionRecord } from '@payhub/providers-core';
import { FailureCode, TxStatus, TxType } from '@payhub/transactions';

export const TEST_PROVIDER = 'testpay';

/**
 * A provider for tests only (never shipped): outcomes chosen by the amount's last two digits.
 *   …00 → WAITING_INPUT with a REDIRECT · …01 → FAILED (declined) · …02 → the adapter throws (INCONSISTENT)
 *   …03 → not taken (method unavailable, fallback allowed) · …04 → SUCCESSFUL · …05 → slow (300 ms) then REDIRECT
 */
@PaymentProviderAdapter()
export class TestPayProvider implements PaymentProvider {
  readonly id: string;
  get configDescriptor(): ProviderConfigDescriptor {
    return TEST_DESCRIPTORS[this.id];
  }
  /** Every deposit request the adapter saw, to assert what left payhub (card data included). */
  readonly calls: Array<{ provider: string; account: string; request: DepositRequest }> = [];

  /** Every refund, reversal and payout call the adapter saw, in order. */
  readonly operations: Array<{ op: 'refund' | 'reverse' | 'withdraw' | 'approvePayout' | 'declinePayout'; txId: string; amount?: bigint }> = [];
  /** Present only on instances built with the capability, as the port makes them optional. */
  refund?: (req: RefundRequest, account: ResolvedAccount) => Promise<ProviderOutcome>;
  reverse?: (req: ReversalRequest, account: ResolvedAccount) => Promise<ProviderOutcome>;
  approvePayout?: (req: PayoutDecisionRequest, account: ResolvedAccount) => Promise<ProviderOutcome>;
  declinePayout?: (req: PayoutDecisionRequest, account: ResolvedAccount) => Promise<ProviderOutcome>;

  constructor(id = TEST_PROVIDER, capabilities: readonly TestPayCapability[] = id === TEST_PROVIDER ? ['refund'] : []) {
    this.id = id;
    // Only the second test provider answers status checks in batches, so status sync runs both paths.
    if (id === TEST_PROVIDER_B) {
      this.checkStatusBatch = async (txs) => {
        this.batchCalls.push(txs.map((tx) => tx.id));
        return new Map(await Promise.all(txs.map(async (tx) => [tx.id, await this.checkStatus(tx)] as const)));
      };
    }
    if (capabilities.includes('refund')) this.refund = (req) => this.giveBack('refund', req);
    if (capabilities.includes('reverse')) this.reverse = (req) => this.giveBack('reverse', req);
    if (capabilities.includes('confirmPayout')) {
      this.approvePayout = async (req) => {
        this.operations.push({ op: 'approvePayout', txId: req.tx.id });
        return { status: TxStatus.SUCCESSFUL, providerTxId: req.tx.providerTxId, raw: { request: { action: 'APPROVE', transactionId: req.tx.providerTxId } } };
      };
      this.declinePayout = async (req) => {
        this.operations.push({ op: 'declinePayout', txId: req.tx.id });
        return { status: TxStatus.CANCELLED, raw: { request: { action: 'DECLINE', transactionId: req.tx.providerTxId } } };
      };
    }
  }

  /**
   * Refunds and reversals by the amount's last two digits:
   *   …01 → FAILED · …02 → the adapter throws (INCONSISTENT) · …06 → PROCESSING · …07 → slow (200 ms) then SUCCESSFUL · else SUCCESSFUL
   */
  private async giveBack(op: 'refund' | 'reverse', req: RefundRequest): Promise<ProviderOutcome> {
    this.operations.push({ op, txId: req.txId, amount: req.amount });
    const tail = Number(req.amount % 100n);
    const raw = { request: { op, amount: req.amount.toString(), parent: req.parent.providerTxId, apiKey: 'k-123456' }, response: { tail } };
    if (tail === 1) return { status: TxStatus.FAILED, failure: { code: FailureCode.DECLINED_BY_ISSUER, reason: 'Refund refused', providerCode: 'R1' }, raw };
    if (tail === 2) throw new Error('timeout: no answer from testpay');
    if (tail === 6) return { status: TxStatus.PROCESSING, providerTxId: `${this.id}-${req.txId}`, raw };
    if (tail === 7) await new Promise((r) => setTimeout(r, 200));
    return { status: TxStatus.SUCCESSFUL, providerTxId: `${this.id}-${req.txId}`, raw };
  }

  supports(txType: TxType): boolean {
    return txType !== TxType.Reversal;
  }

  async deposit(req: DepositRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    this.calls.push({ provider: this.id, account: account.name, request: req });
    const tail = Number(req.amount % 100n);
    const raw = { request: { amount: req.amount.toString(), account: account.name }, response: { tail } };
    switch (tail) {
      case 1:
        return {
          status: TxStatus.FAILED,
          failure: { code: FailureCode.DECLINED_BY_ISSUER, reason: 'Declined by the issuer', providerCode: '05', providerMessage: 'Do not honor' },
          raw,
        };
      case 2:
        throw new Error('connection reset after the request was sent');
      case 3:
        return { status: TxStatus.FAILED, notTaken: true, failure: { code: FailureCode.METHOD_UNAVAILABLE, reason: 'Method unavailable' }, raw };
      case 4:
        return { status: TxStatus.SUCCESSFUL, providerTxId: `${this.id}-${req.txId}`, raw };
      case 5:
        await new Promise((r) => setTimeout(r, 300));
        break;
      default:
        break;
    }
    return {
      status: TxStatus.WAITING_INPUT,
      providerTxId: `${this.id}-${req.txId}`,
      nextAction: { type: 'REDIRECT', url: `https://pay.example/${req.txId}`, method: 'GET', params: {} },
      raw,
    };
  }

  /** Payouts: …01 → FAILED · …02 → the adapter throws (INCONSISTENT) · …04 → SUCCESSFUL · else PROCESSING. */
  /** Activation: a number starting with `refuse` is refused (customer may retry); any other is PROCESSING after 200 ms. */
  async activate(req: ActivationRequest): Promise<ProviderOutcome> {
    this.activations.push({ txId: req.tx.id, transactionNumber: req.transactionNumber });
    await new Promise((r) => setTimeout(r, 200));
    if (req.transactionNumber.startsWith('refuse')) {
      return {
        status: TxStatus.WAITING_INPUT,
        failure: { code: FailureCode.INVALID_REQUEST, reason: 'Unknown transaction number', providerMessage: 'Transaction not found' },
        raw: {},
      };
    }
    return { status: TxStatus.PROCESSING, raw: {} };
  }

  readonly activations: Array<{ txId: string; transactionNumber: string }> = [];

  async withdraw(req: WithdrawalRequest): Promise<ProviderOutcome> {
    this.operations.push({ op: 'withdraw', txId: req.txId, amount: req.amount });
    const tail = Number(req.amount % 100n);
    if (tail === 1) return { status: TxStatus.FAILED, failure: { code: FailureCode.INSUFFICIENT_FUNDS, reason: 'Payout refused' }, raw: {} };
    if (tail === 2) throw new Error('timeout: no answer from testpay');
    if (tail === 4) return { status: TxStatus.SUCCESSFUL, providerTxId: `${this.id}-${req.txId}`, raw: {} };
    return { status: TxStatus.PROCESSING, providerTxId: `${this.id}-${req.txId}`, raw: {} };
  }

  checkStatusBatch?: (txs: TransactionView[]) => Promise<Map<string, ProviderOutcome>>;
  /** Transaction ids of every batch status check, one list per call. */
  readonly batchCalls: string[][] = [];
  /** What a status check reports per transaction id; a transaction not listed keeps its status. */
  readonly statuses = new Map<string, TxStatus>();
  /** What the reconciliation calls report; `undefined` leaves the call unanswered (throws). */
  balances: ProviderBalance[] | undefined;
  reported: ProviderTransactionRecord[] | undefined;

  /** How long each status check takes, and the most checks this provider had in flight at once. */
  checkDelayMs = 0;
  maxChecksInFlight = 0;
  private checksInFlight = 0;
  /** The transaction id of every single status check asked, in order. */
  readonly checked: string[] = [];

  async checkStatus(tx: TransactionView): Promise<ProviderOutcome> {
    this.checked.push(tx.id);
    this.maxChecksInFlight = Math.max(this.maxChecksInFlight, ++this.checksInFlight);
    try {
      if (this.checkDelayMs) await new Promise((r) => setTimeout(r, this.checkDelayMs));
    } finally {
      this.checksInFlight--;
    }
    const reported = this.statuses.get(tx.id);
    return reported ? { status: reported, providerTxId: tx.providerTxId, raw: { response: { status: reported } } } : { status: tx.status, raw: {} };
  }

  async getBalances(): Promise<ProviderBalance[]> {
    if (!this.balances) throw new Error('no balances set');
    return this.balances;
  }

  async listTransactions(): Promise<ProviderTransactionRecord[]> {
    if (!this.reported) throw new Error('no transaction list set');
    return this.reported;
  }

  /** Callbacks: JSON `{ txId, eventId, status, amount?, currency?, creditedAmountAllowed? }` signed with `x-testpay-signature: hex HMAC-SHA256(raw body, apiKey)`. */
  async parseCallback(req: RawCallback, accounts: AccountLookup): Promise<VerifiedCallback> {
    const body = req.body as {
      txId?: string;
      eventId?: string;
      status?: string;
      trusted?: boolean;
      amount?: number;
      currency?: string;
      creditedAmountAllowed?: boolean;
    };
    if (!body?.txId || !body.eventId || !body.status) throw new DomainError(ErrorCode.CALLBACK_INVALID, 'txId, eventId and status are required');
    const account = await accounts.forTransaction(body.txId);
    const signature = String(req.headers['x-testpay-signature'] ?? '');
    if (!account || !safeEqual(signature, signTestpay(req.rawBody, revealed(account.settings.apiKey) ?? ''))) {
      throw new DomainError(ErrorCode.CALLBACK_SIGNATURE_INVALID, 'The callback signature does not verify');
    }
    const outcome: ProviderOutcome | null =
      body.trusted === false
        ? null
        : {
            status: body.status as TxStatus,
            amount: body.amount === undefined ? null : BigInt(body.amount),
            currency: body.currency ?? null,
            creditedAmountAllowed: body.creditedAmountAllowed === true,
            raw: { callback: body },
          };
    return { results: [{ txId: body.txId, outcome }], dedupKey: body.eventId, response: { status: 200, body: 'OK', contentType: 'text/plain' } };
  }
}

export type TestPayCapability = 'refund' | 'reverse' | 'confirmPayout';

export function signTestpay(rawBody: string, apiKey: string): string {
  return createHmac('sha256', apiKey).update(rawBody).digest('hex');
}

export class TestPayAccount {
  @IsString() apiKey: string;
  @IsOptional() @IsCurrencyList() supportedCurrencies?: string;
}

const TEST_DESCRIPTORS: Record<string, ProviderConfigDescriptor> = {};
TEST_DESCRIPTORS[TEST_PROVIDER] = defineConfigDescriptor<TestPayAccount>({
  provider: TEST_PROVIDER,
  accountClass: TestPayAccount,
  secretFields: ['apiKey'],
  xmlRootElement: 'com.devcode.paymentiq.integration.testpay.TestPayConfig',
  baseUrlNames: ['api'],
  defaults: { account: {}, baseUrls: { api: 'http://127.0.0.1:9/testpay' } },
}) as ProviderConfigDescriptor;

/** A second test provider id, for fallback routing. */
export const TEST_PROVIDER_B = 'testpay-b';
TEST_DESCRIPTORS[TEST_PROVIDER_B] = defineConfigDescriptor<TestPayAccount>({
  provider: TEST_PROVIDER_B,
  accountClass: TestPayAccount,
  secretFields: ['apiKey'],
  xmlRootElement: 'com.devcode.paymentiq.integration.testpay.TestPayBConfig',
  baseUrlNames: ['api'],
  defaults: { account: {}, baseUrls: { api: 'http://127.0.0.1:9/testpay-b' } },
}) as ProviderConfigDescriptor;

/** A third test provider with every optional capability: reversals and its own payout confirmation (like Kasha). */
export const TEST_PROVIDER_C = 'testpay-c';
TEST_DESCRIPTORS[TEST_PROVIDER_C] = defineConfigDescriptor<TestPayAccount>({
  provider: TEST_PROVIDER_C,
  accountClass: TestPayAccount,
  secretFields: ['apiKey'],
  xmlRootElement: 'com.devcode.paymentiq.integration.testpay.TestPayCConfig',
  baseUrlNames: ['api'],
  defaults: { account: {}, baseUrls: { api: 'http://127.0.0.1:9/testpay-c' } },
}) as ProviderConfigDescriptor;

@Module({
  providers: [
    { provide: TestPayProvider, useFactory: () => new TestPayProvider(TEST_PROVIDER) },
    { provide: 'TESTPAY_B', useFactory: () => new TestPayProvider(TEST_PROVIDER_B) },
    { provide: 'TESTPAY_C', useFactory: () => new TestPayProvider(TEST_PROVIDER_C, ['refund', 'reverse', 'confirmPayout']) },
  ],
  exports: [TestPayProvider, 'TESTPAY_B', 'TESTPAY_C'],
})
export class TestProviderModule {}
