import { FailureCode, TxStatus, TxType } from '@payhub/domain';
import type { ResolvedAccount, TransactionView, WithdrawalRequest } from '@payhub/providers-core';
import { CannedAnswer, CaptureServer, CapturedRequest } from '../../../../test/support/capture-server';
import { postbackSignature, withdrawalSignature } from './paykassma-signature';
import { parsePhpJson } from './php-json';
import { PaykassmaUrlHashCache } from './paykassma-url-hash.cache';
import { PaykassmaWalletListCache } from './paykassma-wallet-list.cache';
import { PaykassmaProvider } from './paykassma.provider';

/** Adapter spec: the exact requests Paykassma receives and how its documented answers are read. */
describe('PaykassmaProvider against a capturing Paykassma', () => {
  const server = new CaptureServer();
  const provider = new PaykassmaProvider(new PaykassmaUrlHashCache(), new PaykassmaWalletListCache());
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  const account = (settings: Record<string, unknown> = {}): ResolvedAccount => ({
    provider: 'paykassma',
    name: 'DEFAULT',
    merchantId: 'mer_1',
    testMode: false,
    paywayMapping: null,
    descriptor: 'withdrawal',
    settings: { pluginApiSecret: 'plugin-s3cret', withdrawalPrivateKey: 'yourprivatekey', postbackAccessKey: 'ak', postbackPrivateKey: 'pk', ...settings },
    baseUrls: { api: server.url },
    timeoutMs: 2000,
  });
  const route =
    (answers: Record<string, CannedAnswer>) =>
    (req: CapturedRequest): CannedAnswer =>
      answers[req.url.split('?')[0]] ?? { status: 404, body: {} };
  const sent = (path: string) => server.requests.find((r) => r.url.split('?')[0] === path)!;

  const payout: WithdrawalRequest = {
    txId: '1234567',
    merchantId: 'mer_1',
    merchantTxId: 'o-1',
    userId: '55',
    txType: TxType.WalletWithdrawal,
    service: 'paytm',
    amount: 100000n,
    currency: 'INR',
    country: 'IN',
    wallet: { account: '11111111' },
    bank: { bankCode: 'MAHB0001821', branchCode: '000254', providerBankCode: '9393', paymentMethod: 'MOBILE_MONEY', paymentProvider: '56' },
    callbackUrl: 'https://payhub.example/callbacks/paykassma',
    routing: { payway: null, threeDs: { enabled: false, mode: 'off' } },
  };

  it("withdrawal: POST /v2/withdrawal/create without ?secret=, the document's fields and its signature", async () => {
    server.respond(route({ '/v2/withdrawal/create': { body: { status: 'ok' } } }));
    const outcome = await provider.withdraw(payout, account());
    const req = sent('/v2/withdrawal/create');
    expect(req.url).toBe('/v2/withdrawal/create');
    const body = req.json() as Record<string, unknown>;
    const { signature, ...unsigned } = body;
    expect(unsigned).toEqual({
      withdrawal_id: '1234567',
      payment_system: 'paytm',
      amount: 1000,
      currency_code: 'INR',
      label: '55',
      is_test: false,
      comment: 'withdrawal',
      account_number: '11111111',
      payments_details: { payments_method: 'MOBILE_MONEY', payments_provider: '56' },
      bank_details: { bank_code: 'MAHB0001821', branch_code: '000254', bank_code_in_payments_system: '9393' },
    });
    expect(signature).toBe(withdrawalSignature('yourprivatekey', unsigned));
    expect(outcome).toMatchObject({ status: TxStatus.PROCESSING, providerTxId: '1234567' });
  });

  it.each([
    [{ status: 'fail', message: { withdrawals_sum_amount: ['Insufficient balance'] } }, TxStatus.FAILED, FailureCode.INSUFFICIENT_FUNDS],
    [{ status: 'fail', message: 'The account number is invalid.' }, TxStatus.FAILED, FailureCode.INVALID_REQUEST],
  ])('withdrawal refused %j → %s %s', async (answer, status, code) => {
    server.respond(route({ '/v2/withdrawal/create': { body: answer } }));
    expect(await provider.withdraw(payout, account())).toMatchObject({ status, failure: { code } });
  });

  it('withdrawal: a 5xx is INCONSISTENT; an unreachable Paykassma is PROVIDER_ERROR, not taken', async () => {
    server.respond(route({ '/v2/withdrawal/create': { status: 502, body: '<html>Bad Gateway</html>' } }));
    expect((await provider.withdraw(payout, account())).status).toBe(TxStatus.INCONSISTENT);
    const closed = { ...account(), baseUrls: { api: 'http://127.0.0.1:1' } };
    expect(await provider.withdraw(payout, closed)).toMatchObject({ status: TxStatus.FAILED, notTaken: true, failure: { code: FailureCode.PROVIDER_ERROR } });
  });

  it('activation: POST /api/v1/transaction/activate?secret= with key1 and the amount for phone_pe', async () => {
    const tx = {
      id: 'tx_1',
      currency: 'INR',
      status: TxStatus.WAITING_INPUT,
      providerData: { paykassma: { flow: 'activation', walletType: 'phone_pe', label: 'u-1', isManual: false, uploadingPaymentBill: false } },
    } as unknown as TransactionView;
    server.respond(route({ '/api/v1/transaction/activate': { body: { status: 'ok' } } }));
    const outcome = await provider.activate({ tx, transactionNumber: '0394031', amount: 25000n, userId: 'u-1' }, account());
    const req = sent('/api/v1/transaction/activate');
    expect(req.url).toBe('/api/v1/transaction/activate?secret=plugin-s3cret');
    expect(req.json()).toEqual({ currency_code: 'INR', wallet_type: 'phone_pe', label: 'u-1', key1: '0394031', amount: 250, custom_transaction_id: 'tx_1' });
    expect(outcome).toMatchObject({ status: TxStatus.PROCESSING, providerTxId: '0394031' });
    expect(JSON.stringify(outcome.raw)).not.toContain('plugin-s3cret');
  });

  it('itau_ml activation: possible-transaction as multipart with the screenshot file; refused without one even if the list says no bill', async () => {
    const tx = {
      id: 'tx_2',
      currency: 'PYG',
      status: TxStatus.WAITING_INPUT,
      providerData: { paykassma: { flow: 'activation', walletType: 'itau_ml', label: 'u-1', isManual: true, uploadingPaymentBill: false } },
    } as unknown as TransactionView;
    await expect(provider.activate({ tx, transactionNumber: '0394031', amount: 25000n, userId: 'u-1' }, account())).rejects.toMatchObject({
      details: [{ field: 'screenshot' }],
    });
    server.respond(route({ '/api/v1/possible-transaction': { body: { status: 'possible_transaction_created', message: 'Possible transaction created' } } }));
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const outcome = await provider.activate({ tx, transactionNumber: '0394031', amount: 25000n, screenshot: png, userId: 'u-1' }, account());
    const req = sent('/api/v1/possible-transaction');
    expect(req.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(req.body).toContain('filename="screenshot.png"');
    expect(req.form()).toMatchObject({
      currency_code: 'PYG',
      wallet_type: 'itau_ml',
      label: 'u-1',
      key1: '0394031',
      amount: '25000',
      custom_id: 'tx_2',
      custom_transaction_id: 'tx_2',
    });
    expect(outcome.status).toBe(TxStatus.PROCESSING);
  });

  const deposit = (service: string, over: Record<string, unknown> = {}) => ({
    txId: 'tx_01ARZ3NDEKTSV4RRFFQ69G5FAV',
    merchantId: 'mer_1',
    merchantTxId: 'o-2',
    userId: 'u-1',
    txType: TxType.WalletDeposit,
    service,
    amount: 1000000n,
    currency: 'BDT',
    country: 'BD',
    callbackUrl: 'https://payhub.example/callbacks/paykassma',
    redirectUrls: { success: 'https://m.example/ok', failure: 'https://m.example/fail' },
    routing: { payway: null, threeDs: { enabled: false, mode: 'off' as const } },
    ...over,
  });

  it('bkash_api deposit: POST /api/v1/payment/create/bkash_api with the documented body; the bKash URL is the REDIRECT', async () => {
    server.respond(
      route({ '/api/v1/payment/create/bkash_api': { body: { status: 'ok', data: { bkashUrl: 'https://bkash.example/pay/1', orderId: 'ord-1' } } } }),
    );
    const outcome = await provider.deposit(deposit('bkash_api', { wallet: { account: '01770618575' } }), account());
    const req = sent('/api/v1/payment/create/bkash_api');
    expect(req.url).toBe('/api/v1/payment/create/bkash_api?secret=plugin-s3cret');
    expect(req.json()).toEqual({
      amount: 10000,
      currency: 'BDT',
      label: 'u-1',
      custom_transaction_id: 'tx_01ARZ3NDEKTSV4RRFFQ69G5FAV',
      account_number: '01770618575',
      success_url: 'https://m.example/ok',
      failure_url: 'https://m.example/fail',
      cancel_url: 'https://m.example/fail',
    });
    expect(outcome).toMatchObject({
      status: TxStatus.WAITING_INPUT,
      providerTxId: 'ord-1',
      nextAction: { type: 'REDIRECT', url: 'https://bkash.example/pay/1' },
    });
  });

  it('status check: GET /api/v1/postback?type=deposit&custom_id=; a credited postback is SUCCESSFUL with its money', async () => {
    const tx = { id: 'tx_3', txType: TxType.WalletDeposit, currency: 'INR', status: TxStatus.PROCESSING, providerData: null } as unknown as TransactionView;
    server.respond(
      route({
        '/api/v1/postback': {
          body: {
            status: 'ok',
            postback: {
              currency_code: 'INR',
              transactions: [{ custom_id: 'tx_3', amount: '250.00', currency_code: 'INR', transaction_id: 'K-1', stockpiling_id: 7 }],
            },
          },
        },
      }),
    );
    const outcome = await provider.checkStatus(tx, account());
    expect(sent('/api/v1/postback').url).toBe('/api/v1/postback?secret=plugin-s3cret&type=deposit&custom_id=tx_3');
    expect(outcome).toMatchObject({ status: TxStatus.SUCCESSFUL, amount: 25000n, currency: 'INR', providerTxId: 'K-1' });
  });

  it("postbacks: signed additional_data verifies unescaped, the older transactions with toJson()'s escaping; anything else is refused", async () => {
    const list = [{ amount: '250.00', currency_code: 'INR', transaction_id: 'K-2', stockpiling_id: 8, plugin_custom_order_id: 'tx_4', comment: 'a/ñ' }];
    const lookup = { forTransaction: async () => account(), transaction: async () => null, candidates: async () => [account()] };
    const post = (body: Record<string, unknown>) =>
      provider.parseCallback({ headers: {}, query: {}, params: {}, rawBody: JSON.stringify(body), body, contentType: 'application/json' }, lookup);
    const sign = (escaping: 'unescaped' | 'escaped') => postbackSignature('ak', 'pk', parsePhpJson(JSON.stringify(list)), escaping);
    expect((await post({ signature: sign('unescaped'), access_key: 'ak', direction: 'ingoing', additional_data: list })).results[0]).toMatchObject({
      txId: 'tx_4',
      outcome: { status: TxStatus.SUCCESSFUL },
    });
    expect((await post({ signature: sign('escaped'), access_key: 'ak', direction: 'ingoing', transactions: list })).response).toEqual({
      status: 200,
      body: '{"status":"ok"}',
      contentType: 'application/json',
    });
    await expect(post({ signature: sign('unescaped'), access_key: 'ak', direction: 'ingoing', transactions: list })).rejects.toMatchObject({
      code: 'CALLBACK_SIGNATURE_INVALID',
    });
  });

  it("payout inputs per payment system follow the document's table and the account's overrides", () => {
    expect(provider.inputFields({ txType: TxType.WalletWithdrawal, service: 'bkash' }, account())).toEqual([
      { field: 'wallet.account', required: true },
      { field: 'customer.email', required: true },
    ]);
    expect(provider.inputFields({ txType: TxType.BankLocalWithdrawal, service: 'imps_ib' }, account())).toEqual([
      { field: 'bank.accountNumber', required: true },
      { field: 'bank.accountName', required: true },
      { field: 'bank.bankCode', required: true },
    ]);
    expect(
      provider.inputFields({ txType: TxType.WalletWithdrawal, service: 'paytm' }, account({ withdrawalRequiredFields: 'paytm:account_number,account_digit' })),
    ).toEqual([
      { field: 'wallet.account', required: true },
      { field: 'bank.accountDigit', required: true },
    ]);
  });
  describe('payment window (plugin URL)', () => {
    const windowDeposit = (over: Record<string, unknown> = {}) =>
      ({
        txId: 'tx_W1',
        merchantId: 'mer_1',
        merchantTxId: 'o-9',
        userId: '55',
        txType: TxType.WalletDeposit,
        service: 'paytm',
        amount: 150000n,
        currency: 'INR',
        country: 'IN',
        redirectUrls: { success: 'https://m.example/ok', failure: 'https://m.example/ko' },
        callbackUrl: 'https://payhub.example/callbacks/paykassma',
        routing: { payway: null, threeDs: { enabled: false, mode: 'off' } },
        ...over,
      }) as Parameters<PaykassmaProvider['deposit']>[0];
    const windowAccount = (settings: Record<string, unknown> = {}) =>
      account({ paymentWindow: true, pluginUrl: 'https://plugin.pk.example/', language: 'en', ...settings });

    it('hashes the redirect URLs once (POST /payment-plugin/hash-url?secret=), then the documented window URL is the REDIRECT', async () => {
      const fresh = new PaykassmaProvider(new PaykassmaUrlHashCache(), new PaykassmaWalletListCache());
      server.respond(
        route({
          '/payment-plugin/hash-url': {
            body: { status: 'ok', urls: { success_url: [{ order: 1, url: 'h-ok' }], fail_url: [{ order: 1, url: 'h-ko' }], pending_url: [] } },
          },
        }),
      );
      const outcome = await fresh.deposit(windowDeposit(), windowAccount());
      const hash = sent('/payment-plugin/hash-url');
      expect(hash.method).toBe('POST');
      expect(hash.url).toBe('/payment-plugin/hash-url?secret=plugin-s3cret');
      expect(hash.json()).toEqual({
        success_urls: [{ order: 1, url: 'https://m.example/ok' }],
        fail_urls: [{ order: 1, url: 'https://m.example/ko' }],
        pending_urls: [],
      });
      expect(outcome).toMatchObject({ status: TxStatus.WAITING_INPUT, nextAction: { type: 'REDIRECT', method: 'GET' } });
      const url = new URL((outcome.nextAction as { url: string }).url);
      expect(`${url.origin}${url.pathname}`).toBe('https://plugin.pk.example/');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        label: '55',
        currency_code: 'INR',
        lang: 'en',
        wallet_type: 'paytm',
        custom_transaction_id: 'tx_W1',
        fixed_amount: '1500',
        success_url: 'h-ok',
        fail_url: 'h-ko',
      });
      // The hashes live a day at Paykassma: the next payment to the same URLs asks for none.
      server.respond(route({}));
      await fresh.deposit(windowDeposit({ txId: 'tx_W2' }), windowAccount());
      expect(server.requests).toHaveLength(0);
    });

    it('configured redirect ids are sent instead of hashes; a generic service opens the list of payment systems', async () => {
      server.respond(route({}));
      const outcome = await provider.deposit(
        windowDeposit({ service: 'WALLET' }),
        windowAccount({ paymentUrlSuccessId: '11', paymentUrlFailId: '12', paymentUrlPendingId: '13' }),
      );
      expect(server.requests).toHaveLength(0);
      const params = Object.fromEntries(new URL((outcome.nextAction as { url: string }).url).searchParams);
      expect(params).toMatchObject({ payment_url_success_id: '11', payment_url_fail_id: '12', payment_url_pending_id: '13' });
      expect(params).not.toHaveProperty('wallet_type');
      expect(params).not.toHaveProperty('success_url');
    });

    it('refused before anything is sent: no pluginUrl (not taken), a fractional amount (fixed_amount is an integer)', async () => {
      server.respond(route({}));
      expect(await provider.deposit(windowDeposit(), account({ paymentWindow: true }))).toMatchObject({
        status: TxStatus.FAILED,
        notTaken: true,
        failure: { code: FailureCode.METHOD_UNAVAILABLE },
      });
      expect(await provider.deposit(windowDeposit({ amount: 150050n }), windowAccount())).toMatchObject({
        status: TxStatus.FAILED,
        failure: { code: FailureCode.INVALID_REQUEST },
      });
      expect(server.requests).toHaveLength(0);
    });

    it('a refused hash-url fails the deposit as not taken (no window was given to the customer)', async () => {
      const fresh = new PaykassmaProvider(new PaykassmaUrlHashCache(), new PaykassmaWalletListCache());
      server.respond(route({ '/payment-plugin/hash-url': { body: { status: 'fail', message: 'bad urls' } } }));
      expect(await fresh.deposit(windowDeposit(), windowAccount())).toMatchObject({ status: TxStatus.FAILED, notTaken: true });
    });
  });

  describe('pullpostbacks (reconciliation batch status)', () => {
    const deposit = (id: string, status = TxStatus.PROCESSING) =>
      ({ id, txType: TxType.WalletDeposit, currency: 'INR', status, providerData: null }) as unknown as TransactionView;
    const payoutTx = (id: string) =>
      ({ id, txType: TxType.WalletWithdrawal, currency: 'INR', status: TxStatus.PROCESSING, providerData: null }) as unknown as TransactionView;

    it('one GET per type with the ids as arrays; the documented rows map by id, "not found" keeps the status, silence is no answer', async () => {
      server.respond((req) =>
        req.url.includes('type=deposit')
          ? {
              body: {
                status: 'success',
                code: 20000,
                data: {
                  transactions: [
                    { plugin_custom_order_id: 'tx_D1', message: 'Postback not found' },
                    {
                      plugin_custom_order_id: 'tx_D2',
                      postback: {
                        label: '55',
                        stockpiling_id: 269866,
                        transactions: [{ amount: 300.0, currency_code: 'INR', wallet_type: 'upi_l', transaction_id: '770425808190', custom_id: 'tx_D2' }],
                      },
                    },
                  ],
                },
              },
            }
          : {
              body: {
                status: 'success',
                code: 20000,
                data: {
                  withdrawals: [
                    { withdrawal_id: 'tx_P1', postback: { withdrawal_id: 'tx_P1', status: 1, amount: 330, currency_code: 'INR' } },
                    { withdrawal_id: 'tx_P2', postback: { withdrawal_id: 'tx_P2', status: 5, comment: 'wrong account' } },
                    { withdrawal_id: 'tx_P3', postback: { withdrawal_id: 'tx_P3', status: 3 } },
                  ],
                },
              },
            },
      );
      const outcomes = await provider.checkStatusBatch(
        [deposit('tx_D1'), deposit('tx_D2'), deposit('tx_D9'), payoutTx('tx_P1'), payoutTx('tx_P2'), payoutTx('tx_P3')],
        account(),
      );
      expect(server.requests.map((r) => `${r.method} ${decodeURIComponent(r.url)}`)).toEqual([
        'GET /api/v1/pullpostbacks?secret=plugin-s3cret&type=deposit&plugin_custom_order_id[]=tx_D1&plugin_custom_order_id[]=tx_D2&plugin_custom_order_id[]=tx_D9',
        'GET /api/v1/pullpostbacks?secret=plugin-s3cret&type=withdrawal&withdrawal_id[]=tx_P1&withdrawal_id[]=tx_P2&withdrawal_id[]=tx_P3',
      ]);
      expect(outcomes.get('tx_D1')).toMatchObject({ status: TxStatus.PROCESSING });
      expect(outcomes.get('tx_D2')).toMatchObject({ status: TxStatus.SUCCESSFUL, amount: 30000n, currency: 'INR', providerTxId: '770425808190' });
      expect(outcomes.has('tx_D9')).toBe(false);
      expect(outcomes.get('tx_P1')).toMatchObject({ status: TxStatus.SUCCESSFUL });
      expect(outcomes.get('tx_P2')).toMatchObject({
        status: TxStatus.FAILED,
        failure: { code: FailureCode.DECLINED_BY_PROVIDER, providerCode: '5', providerMessage: 'wrong account' },
      });
      // Only PROCESSED (1) and REJECTED (5) are documented: another value is not guessed.
      expect(outcomes.get('tx_P3')).toMatchObject({ status: TxStatus.INCONSISTENT, failure: { providerCode: '3' } });
    });

    it('a failed pull (the documented fail body, a 5xx) answers nothing, so nothing is changed', async () => {
      server.respond({ body: { status: 'fail', message: { plugin_custom_order_id: ['The plugin custom order id field is required'] } } });
      expect((await provider.checkStatusBatch([deposit('tx_D1')], account())).size).toBe(0);
      server.respond({ status: 502, body: 'bad gateway' });
      expect((await provider.checkStatusBatch([deposit('tx_D1'), payoutTx('tx_P1')], account())).size).toBe(0);
    });
  });
});
