import { Module } from '@nestjs/common';
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

  async parseCallback(_req: RawCallback, _accounts: AccountLookup): Promise<VerifiedCallback> {
    throw new Error('testpay sends no callbacks');
  }
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
