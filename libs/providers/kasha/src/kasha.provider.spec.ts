import { FailureCode, TxStatus, TxType } from '@payhub/domain';
import type { DepositRequest, RefundRequest, ResolvedAccount, TransactionView, WithdrawalRequest } from '@payhub/providers-core';
import { CannedAnswer, CaptureServer, CapturedRequest } from '../../../../test/support/capture-server';
import { KashaProvider } from './kasha.provider';

/** Adapter spec: the exact requests Kasha receives per operation and how each documented answer is read. */
describe('KashaProvider against a capturing Kasha', () => {
  const server = new CaptureServer();
  const provider = new KashaProvider();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  const account = (settings: Record<string, unknown> = {}): ResolvedAccount => ({
    provider: 'kasha',
    name: 'DEFAULT',
    merchantId: 'mer_1',
    testMode: true,
    paywayMapping: null,
    descriptor: 'Invoice ABC123',
    settings: { apiKey: 'k-secret', apiKeyHeader: 'x-api-key', ...settings },
    baseUrls: { api: server.url },
    timeoutMs: 2000,
  });
  const base = {
    txId: 'tx_01ARZ3NDEKTSV4RRFFQ69G5FAV',
    merchantId: 'mer_1',
    merchantTxId: 'order-1',
    userId: 'u-1',
    service: null,
    amount: 13000n,
    currency: 'BRL',
    country: 'BR',
    callbackUrl: 'https://payhub.example/callbacks/kasha/tx_01ARZ3NDEKTSV4RRFFQ69G5FAV',
    redirectUrls: { success: 'https://m.example/ok' },
    customer: { firstName: 'John', lastName: 'Doe', phone: '+34666999666', identify: { number: '36570630563', type: 'BRA_CPF' } },
    routing: { payway: null, threeDs: { enabled: false, mode: 'off' as const } },
  };
  const card: DepositRequest = {
    ...base,
    txType: TxType.CreditcardDeposit,
    card: { number: '5200000000000007', expiryMonth: '01', expiryYear: '2030', cvv: '111', holder: 'JOHN DOE' },
  };
  const bank: DepositRequest = { ...base, txType: TxType.BankDeposit, bank: { bankCode: 'b_26' } };

  const options = {
    transactionId: 'af52a9af-6249-4f56-98c3-f0eaf3910eab,',
    sessionId: 's-1',
    paymentOptions: [
      {
        paymentOptionId: 'opt-card',
        name: 'Card',
        logo: null,
        extraData: [
          { name: 'cardnum', required: true },
          { name: 'cardholder', required: true },
        ],
      },
      { paymentOptionId: 'opt-bank', name: 'Bank Transfer', logo: null, extraData: [] },
    ],
  };
  const suboptions = {
    statusCode: '085',
    resultType: 'option_choice',
    result: {
      paymentOptionId: 'opt-bank',
      transactionId: 'kx-1',
      sessionId: 's-1',
      options: [{ id: 'b_26', name: 'Alfa-Bank', logo: null }],
      formInputs: [{ label: 'phone', name: 'phone', type: 'string', values: [], required: true, validations: { minLength: 11, maxLength: 18 } }],
    },
  };
  const route =
    (answers: Record<string, CannedAnswer>) =>
    (req: CapturedRequest): CannedAnswer =>
      answers[req.url.split('?')[0]] ?? { status: 404, body: {} };
  const sent = (path: string) => server.requests.find((r) => r.url === path)!;

  it('card (direct): payment-options with the documented body, then direct-payment with the card; 000 → SUCCESSFUL', async () => {
    server.respond(
      route({
        '/v2/payment-options': { body: options },
        '/v2/direct-payment': { body: { statusCode: '000', resultType: 'success', result: { transactionId: '15be2828' } } },
      }),
    );
    const outcome = await provider.deposit(card, account());
    const first = sent('/v2/payment-options');
    expect(first.method).toBe('POST');
    expect(first.headers['x-api-key']).toBe('k-secret');
    expect(first.contentType).toBe('application/json');
    expect(first.body).toContain('"amount":130.00');
    expect(first.json()).toEqual({
      country: 'BR',
      currency: 'BRL',
      amount: 130,
      redirectUrl: 'https://m.example/ok',
      notificationUrl: base.callbackUrl,
      language: 'EN',
      customer: { name: 'John Doe', phone: '+34666999666', identify: { number: '36570630563', type: 'BRA_CPF' } },
      merchantReference: base.txId,
      paymentReference: 'Invoice ABC123',
      userId: 'u-1',
      extra2: 'order-1',
      extra3: 'mer_1',
    });
    expect(sent('/v2/direct-payment').json()).toEqual({
      sessionId: 's-1',
      paymentOptionId: 'opt-card',
      optionId: null,
      extraData: { cardnum: '5200000000000007', expiryyear: '2030', expirymonth: '01', cardcvv: '111', cardholder: 'JOHN DOE' },
    });
    expect(outcome).toMatchObject({ status: TxStatus.SUCCESSFUL, providerTxId: '15be2828' });
    expect(JSON.stringify(outcome.raw)).not.toContain('5200000000000007');
    expect(JSON.stringify(outcome.raw)).not.toContain('k-secret');
  });

  it('card (direct): 300 with a link is WAITING_INPUT + REDIRECT (3-D Secure)', async () => {
    server.respond(
      route({
        '/v2/payment-options': { body: options },
        '/v2/direct-payment': { body: { statusCode: '300', resultType: 'redirect', result: { transactionId: 'k3', redirectUrl: 'https://3ds.example/x' } } },
      }),
    );
    expect(await provider.deposit(card, account())).toMatchObject({
      status: TxStatus.WAITING_INPUT,
      nextAction: { type: 'REDIRECT', url: 'https://3ds.example/x', method: 'GET' },
    });
  });

  it('bank (direct): payment-suboptions as multipart/form-data, the bank and form inputs into direct-payment; 000 is the initial status only', async () => {
    server.respond(
      route({
        '/v2/payment-options': { body: options },
        '/v2/payment-suboptions': { body: suboptions },
        '/v2/direct-payment': { body: { statusCode: '000', resultType: 'success', result: { transactionId: 'kx-1' } } },
      }),
    );
    const outcome = await provider.deposit(bank, account());
    const sub = sent('/v2/payment-suboptions');
    expect(sub.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(sub.form()).toEqual({ sessionId: 's-1', paymentOptionId: 'opt-bank' });
    expect(sent('/v2/direct-payment').json()).toEqual({
      sessionId: 's-1',
      paymentOptionId: 'opt-bank',
      optionId: 'b_26',
      extraData: { phone: '+34666999666' },
    });
    expect(outcome).toMatchObject({ status: TxStatus.PROCESSING, providerTxId: 'kx-1' });
  });

  it.each([
    ['3000', FailureCode.INSUFFICIENT_FUNDS, TxStatus.FAILED],
    ['3010', FailureCode.THREE_DS_FAILED, TxStatus.FAILED],
    ['999', FailureCode.DECLINED_BY_PROVIDER, TxStatus.FAILED],
    ['1100', FailureCode.PROVIDER_ERROR, TxStatus.INCONSISTENT],
  ])('an error %s from direct-payment maps to %s', async (code, failure, status) => {
    server.respond(
      route({
        '/v2/payment-options': { body: options },
        '/v2/direct-payment': { status: 400, body: { statusCode: code, resultType: 'error', errorReason: 'x', result: { transactionId: 'k4' } } },
      }),
    );
    expect(await provider.deposit(card, account())).toMatchObject({ status, failure: { code: failure, providerCode: code } });
  });

  it("HTTP 5xx on direct-payment is INCONSISTENT; 401 is the account's key, not taken", async () => {
    server.respond(route({ '/v2/payment-options': { body: options }, '/v2/direct-payment': { status: 502, body: 'bad gateway' } }));
    expect((await provider.deposit(card, account())).status).toBe(TxStatus.INCONSISTENT);
    server.respond(route({ '/v2/payment-options': { status: 401, body: { statusCode: '401', message: 'Unauthorized' } } }));
    expect(await provider.deposit(card, account())).toMatchObject({
      status: TxStatus.FAILED,
      notTaken: true,
      failure: { code: FailureCode.PROVIDER_ERROR, providerCode: '401' },
    });
  });

  it('payout: payout-options (+ merchantDomain), payout-suboptions as JSON, payout; PROCESSING while Kasha holds it PENDING', async () => {
    const payout: WithdrawalRequest = {
      ...base,
      txType: TxType.BankLocalWithdrawal,
      currency: 'ARS',
      country: 'AR',
      bank: { accountNumber: '0170099220000067797370', accountType: 'savings' },
    };
    server.respond(
      route({
        '/v2/payout-options': {
          body: [{ transactionId: 'p-1', sessionId: 's-2', paymentOptions: [{ paymentOptionId: 'opt-p', name: 'Bank Transfer', logo: null, extraData: [] }] }],
        },
        '/v2/payout-suboptions': {
          body: [
            {
              statusCode: 85,
              resultType: 'option_choice',
              result: {
                paymentOptionId: 'opt-p',
                transactionId: 'p-1',
                sessionId: 's-2',
                options: {
                  id: 'd_316',
                  name: 'Bank',
                  logo: null,
                  formInputs: [
                    { name: 'name', required: true, validations: { minLength: 5, maxLength: 100 } },
                    { name: 'account', required: true },
                  ],
                },
              },
            },
          ],
        },
        '/v2/payout': { body: { statusCode: 0, resultType: 'success', result: { transactionId: 'p-1' } } },
      }),
    );
    const outcome = await provider.withdraw(payout, account({ merchantDomain: 'shop.example' }));
    expect(sent('/v2/payout-options').json()).toMatchObject({ currency: 'ARS', amount: 130, merchantDomain: 'shop.example', merchantReference: base.txId });
    expect(sent('/v2/payout-suboptions').contentType).toBe('application/json');
    expect(sent('/v2/payout').json()).toEqual({
      sessionId: 's-2',
      paymentOptionId: 'opt-p',
      optionId: 'd_316',
      extraData: { name: 'John Doe', account: '0170099220000067797370' },
    });
    expect(outcome).toMatchObject({ status: TxStatus.PROCESSING, providerTxId: 'p-1', providerData: { kashaStatus: 'PENDING' } });
  });

  it('settle-payout APPROVE sends the documented body; PROCESSING', async () => {
    const tx = { id: 'tx_1', providerTxId: 'p-1' } as TransactionView;
    server.respond(
      route({
        '/v2/settle-payout': { body: { statusCode: '000', status: 'PROCESSING', transactionId: 'p-1', result: 'Payout request was submitted successfully.' } },
      }),
    );
    expect((await provider.approvePayout({ tx }, account())).status).toBe(TxStatus.PROCESSING);
    expect(sent('/v2/settle-payout').json()).toEqual({ action: 'APPROVE', transactionId: 'p-1' });
  });

  it("refund by reference: the deposit's payhub id; SUCCESSFUL only on REFUNDED", async () => {
    const parent = { id: 'tx_dep', providerTxId: 'k-1', amount: 100000n, settledAmount: null, currency: 'BRL' } as TransactionView;
    const req: RefundRequest = { txId: 'tx_ref', parent, amount: 100000n, currency: 'BRL', callbackUrl: 'https://payhub.example/callbacks/kasha/tx_ref' };
    server.respond(
      route({ '/v2/refund': { body: { statusCode: '000', errorReason: 'Success', paymentAmount: 1000, status: 'REFUNDED', currency: 'BRL', _id: 'k-1' } } }),
    );
    expect(await provider.refund(req, account())).toMatchObject({ status: TxStatus.SUCCESSFUL, amount: 100000n, currency: 'BRL' });
    expect(sent('/v2/refund').json()).toEqual({ merchantReference: 'tx_dep' });
    server.respond(route({ '/v2/refund': { body: { statusCode: '000', status: 'PROCESSING', _id: 'k-1' } } }));
    expect((await provider.refund(req, account())).status).toBe(TxStatus.PROCESSING);
  });

  describe('status check (GET /v2/transactions/{id})', () => {
    const deposit = (data: Record<string, unknown> = {}) =>
      ({
        id: 'tx_1',
        txType: TxType.BankDeposit,
        status: TxStatus.WAITING_INPUT,
        providerTxId: 'k-9',
        currency: 'BRL',
        amount: 1000n,
        providerData: data,
      }) as unknown as TransactionView;
    const past = { sessionExpiresAt: new Date(Date.now() - 1000).toISOString() };

    it.each([
      ['COMPLETED', TxStatus.SUCCESSFUL],
      ['PROCESSING', TxStatus.PROCESSING],
      ['PENDING', TxStatus.WAITING_INPUT],
      ['DECLINED', TxStatus.FAILED],
      ['ERROR', TxStatus.INCONSISTENT],
      // Not in Kasha's documents: never guessed.
      ['EXPIRED', TxStatus.INCONSISTENT],
      ['CANCELLED', TxStatus.INCONSISTENT],
      ['SOMETHING_NEW', TxStatus.INCONSISTENT],
    ])('%s → %s', async (status, expected) => {
      server.respond({ body: { id: 'k-9', status, paymentAmount: 10, currency: 'BRL' } });
      expect((await provider.checkStatus(deposit(), account())).status).toBe(expected);
      expect(server.last()).toMatchObject({ method: 'GET', url: '/v2/transactions/k-9' });
    });

    it('past the session: PENDING is PROCESSING and 404 INCONSISTENT (money may still arrive); `expire` ends them EXPIRED', async () => {
      server.respond({ body: { id: 'k-9', status: 'PENDING' } });
      expect((await provider.checkStatus(deposit(past), account())).status).toBe(TxStatus.PROCESSING);
      expect(await provider.checkStatus(deposit(past), account({ pendingAfterSessionExpiry: 'expire' }))).toMatchObject({
        status: TxStatus.FAILED,
        failure: { code: FailureCode.EXPIRED },
      });
      server.respond({ status: 404, body: { statusCode: '404', result: 'Transaction not found.' } });
      expect((await provider.checkStatus(deposit(past), account())).status).toBe(TxStatus.INCONSISTENT);
    });
  });
});
