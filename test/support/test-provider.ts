import { createHmac } from 'node:crypto';
import { Module } from '@nestjs/common';
import { DomainError, ErrorCode, safeEqual } from '@payhub/common';
import { IsOptional, IsString } from 'class-validator';
import { defineConfigDescriptor, registerConfigDescriptor, IsCurrencyList } from '@payhub/provider-config';
import {
  AccountLookup, DepositRequest, PaymentProvider, PaymentProviderAdapter, ProviderOutcome, RawCallback, ResolvedAccount,
  TransactionView, VerifiedCallback, WithdrawalRequest,
} from '@payhub/providers-core';
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
  /** Every deposit request the adapter saw, to assert what left payhub (card data included). */
  readonly calls: Array<{ provider: string; account: string; request: DepositRequest }> = [];

  constructor(id = TEST_PROVIDER) {
    this.id = id;
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
        return { status: TxStatus.FAILED, failure: { code: FailureCode.DECLINED_BY_ISSUER, reason: 'Declined by the issuer', providerCode: '05', providerMessage: 'Do not honor' }, raw };
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

  async withdraw(req: WithdrawalRequest): Promise<ProviderOutcome> {
    return { status: TxStatus.PROCESSING, providerTxId: `${this.id}-${req.txId}`, raw: {} };
  }

  async checkStatus(tx: TransactionView): Promise<ProviderOutcome> {
    return { status: tx.status, raw: {} };
  }

  /** Callbacks: JSON `{ txId, eventId, status }` signed with `x-testpay-signature: hex HMAC-SHA256(raw body, apiKey)`. */
  async parseCallback(req: RawCallback, accounts: AccountLookup): Promise<VerifiedCallback> {
    const body = req.body as { txId?: string; eventId?: string; status?: string; trusted?: boolean };
    if (!body?.txId || !body.eventId || !body.status) throw new DomainError(ErrorCode.CALLBACK_INVALID, 'txId, eventId and status are required');
    const account = await accounts.forTransaction(body.txId);
    const signature = String(req.headers['x-testpay-signature'] ?? '');
    if (!account || !safeEqual(signature, signTestpay(req.rawBody, String(account.settings.apiKey)))) {
      throw new DomainError(ErrorCode.CALLBACK_SIGNATURE_INVALID, 'The callback signature does not verify');
    }
    const outcome: ProviderOutcome | null = body.trusted === false ? null : { status: body.status as TxStatus, raw: { callback: body } };
    return { results: [{ txId: body.txId, outcome }], dedupKey: body.eventId, response: { status: 200, body: 'OK', contentType: 'text/plain' } };
  }
}

export function signTestpay(rawBody: string, apiKey: string): string {
  return createHmac('sha256', apiKey).update(rawBody).digest('hex');
}

export class TestPayAccount {
  @IsString() apiKey: string;
  @IsOptional() @IsCurrencyList() supportedCurrencies?: string;
}

registerConfigDescriptor(defineConfigDescriptor<TestPayAccount>({
  provider: TEST_PROVIDER,
  accountClass: TestPayAccount,
  secretFields: ['apiKey'],
  xmlRootElement: 'com.devcode.paymentiq.integration.testpay.TestPayConfig',
  baseUrlNames: ['api'],
  defaults: { account: {}, baseUrls: { api: 'http://127.0.0.1:9/testpay' } },
}));

/** A second test provider id, for fallback routing. */
export const TEST_PROVIDER_B = 'testpay-b';
registerConfigDescriptor(defineConfigDescriptor<TestPayAccount>({
  provider: TEST_PROVIDER_B,
  accountClass: TestPayAccount,
  secretFields: ['apiKey'],
  xmlRootElement: 'com.devcode.paymentiq.integration.testpay.TestPayBConfig',
  baseUrlNames: ['api'],
  defaults: { account: {}, baseUrls: { api: 'http://127.0.0.1:9/testpay-b' } },
}));

@Module({
  providers: [
    { provide: TestPayProvider, useFactory: () => new TestPayProvider(TEST_PROVIDER) },
    { provide: 'TESTPAY_B', useFactory: () => new TestPayProvider(TEST_PROVIDER_B) },
  ],
  exports: [TestPayProvider, 'TESTPAY_B'],
})
export class TestProviderModule {}
