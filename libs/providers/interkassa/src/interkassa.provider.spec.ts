import { TxStatus, TxType, FailureCode } from '@payhub/domain';
import { validateConfigWith } from '@payhub/provider-config';
import type { DepositRequest, RawCallback, RefundRequest, ResolvedAccount, TransactionView } from '@payhub/providers-core';
import { CaptureServer } from '../../../../test/support/capture-server';
import { INTERKASSA_CONFIG_DESCRIPTOR } from './interkassa-account.schema';
import { interkassaSignature } from './interkassa-signature';
import { InterkassaProvider } from './interkassa.provider';

/** Adapter spec: the exact request Interkassa receives and how each documented answer is read. */
describe('InterkassaProvider against a capturing Interkassa', () => {
  const server = new CaptureServer();
  const provider = new InterkassaProvider();
  const keys = {
    checkoutId: 'co-1',
    secretKey: 'sign-key',
    testKey: 'test-key',
    customerId: 'user-1',
    apiKey: 'api-key',
    accountID: 'acc-1',
    walletId: '302120998124',
  };

  beforeAll(() => server.start());
  afterAll(() => server.stop());

  function account(settings: Record<string, unknown> = {}, testMode = false): ResolvedAccount {
    return {
      provider: 'interkassa',
      name: 'DEFAULT',
      merchantId: 'mer_1',
      testMode,
      paywayMapping: null,
      descriptor: 'Order',
      settings: { ...keys, signAlgorithm: 'sha256', ...settings },
      baseUrls: { api: `${server.url}/v1`, sci: `${server.url}/sci/` },
      timeoutMs: 2000,
    };
  }

  function cardDeposit(over: Partial<DepositRequest> = {}): DepositRequest {
    return {
      txId: 'tx_1',
      merchantId: 'mer_1',
      merchantTxId: 'order-1',
      userId: 'u-1',
      txType: TxType.CreditcardDeposit,
      service: null,
      amount: 150000n,
      currency: 'UAH',
      country: 'UA',
      callbackUrl: 'https://payhub.example/callbacks/interkassa/tx_1',
      card: { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', cvv: '123' },
      routing: { payway: null, threeDs: { enabled: false, mode: 'off' } },
      ...over,
    };
  }

  const paymentForm = {
    resultCode: 0,
    resultMsg: 'Success',
    resultData: { paymentForm: { action: 'https://3ds.example/pay', method: 'post', parameters: { 'x-request-id': 'r1' } } },
  };

  describe('card deposit (POST {sci}, ik_act=process, ik_int=json)', () => {
    it('sends the exact signed form: a brand-only mapping value is no payway, so the method and currency go instead', async () => {
      server.respond({ body: paymentForm });
      const outcome = await provider.deposit(
        cardDeposit({ routing: { payway: 'visa', threeDs: { enabled: false, mode: 'off' } } }),
        account({ method: 'card' }),
      );
      const sent = server.last();
      expect(sent.method).toBe('POST');
      expect(sent.url).toBe('/sci/');
      expect(sent.contentType).toBe('application/x-www-form-urlencoded');
      const form = sent.form();
      const { ik_sign, ...unsigned } = form;
      expect(unsigned).toEqual({
        ik_co_id: 'co-1',
        ik_pm_no: 'tx_1',
        ik_am: '1500.00',
        ik_cur: 'UAH',
        ik_desc: 'Order',
        ik_act: 'process',
        ik_int: 'json',
        ik_ia_u: 'https://payhub.example/callbacks/interkassa/tx_1',
        ik_ia_m: 'post',
        ik_ltm: '3300',
        ik_pay_card_number: '4111111111111111',
        ik_pay_card_exp_month: '12',
        ik_pay_card_exp_year: '30',
        ik_pay_card_cvv: '123',
        ik_payment_method: 'card',
        ik_payment_currency: 'UAH',
      });
      expect(ik_sign).toBe(interkassaSignature(unsigned, 'sign-key', 'sha256'));
      expect(outcome).toMatchObject({
        status: TxStatus.WAITING_INPUT,
        nextAction: { type: 'REDIRECT', url: 'https://3ds.example/pay', method: 'POST', params: { 'x-request-id': 'r1' } },
      });
      expect(JSON.stringify(outcome.raw)).not.toContain('4111111111111111');
    });

    it('a full payway alias from the mapping is sent as ik_pw_via, without a method', async () => {
      server.respond({ body: paymentForm });
      await provider.deposit(
        cardDeposit({ routing: { payway: 'visa_cpaytrz_merchant_uah', threeDs: { enabled: false, mode: 'off' } } }),
        account({ method: 'card' }),
      );
      const form = server.last().form();
      expect(form.ik_pw_via).toBe('visa_cpaytrz_merchant_uah');
      expect(form.ik_payment_method).toBeUndefined();
      expect(form.ik_payment_currency).toBeUndefined();
    });

    it('test mode: the test payway, still signed with the sign key (the test key signs only notifications)', async () => {
      server.respond({ body: paymentForm });
      await provider.deposit(cardDeposit(), account({}, true));
      const { ik_sign, ...unsigned } = server.last().form();
      expect(unsigned.ik_pw_via).toBe('test_interkassa_test_xts');
      expect(ik_sign).toBe(interkassaSignature(unsigned, 'sign-key', 'sha256'));
    });

    it('a non-zero resultCode is a refused request (PROVIDER_ERROR with the code), never a card decline', async () => {
      server.respond({ body: { resultCode: 2, resultMsg: 'Wrong signature' } });
      const outcome = await provider.deposit(cardDeposit(), account());
      expect(outcome).toMatchObject({
        status: TxStatus.FAILED,
        failure: { code: FailureCode.PROVIDER_ERROR, providerCode: '2', providerMessage: 'Wrong signature' },
      });
    });

    it('a refusal code the account maps (refusalCodes) takes that cause; unmapped ones stay PROVIDER_ERROR', async () => {
      server.respond({ body: { resultCode: 51, resultMsg: 'Insufficient funds' } });
      expect((await provider.deposit(cardDeposit(), account({ refusalCodes: '51->INSUFFICIENT_FUNDS' }))).failure).toMatchObject({
        code: FailureCode.INSUFFICIENT_FUNDS,
        providerCode: '51',
      });
      expect((await provider.deposit(cardDeposit(), account({ refusalCodes: '52->INSUFFICIENT_FUNDS' }))).failure).toMatchObject({
        code: FailureCode.PROVIDER_ERROR,
        providerCode: '51',
      });
    });

    it('an unreachable Interkassa is PROVIDER_ERROR and certainly not taken', async () => {
      const closed = { ...account(), baseUrls: { api: 'http://127.0.0.1:1/v1', sci: 'http://127.0.0.1:1/sci/' } };
      expect(await provider.deposit(cardDeposit(), closed)).toMatchObject({
        status: TxStatus.FAILED,
        notTaken: true,
        failure: { code: FailureCode.PROVIDER_ERROR },
      });
    });

    it('HTTP 5xx and an unreadable body are INCONSISTENT', async () => {
      server.respond({ status: 502, body: 'Bad gateway' });
      expect((await provider.deposit(cardDeposit(), account())).status).toBe(TxStatus.INCONSISTENT);
      server.respond({ body: 'not json' });
      expect((await provider.deposit(cardDeposit(), account())).status).toBe(TxStatus.INCONSISTENT);
    });

    it('use3Dsecure=false: a deposit 3DS2 routing requires is not sent (not taken, so routing may fall back)', async () => {
      server.respond({ body: paymentForm });
      const outcome = await provider.deposit(
        cardDeposit({ routing: { payway: null, threeDs: { enabled: true, mode: 'required_3ds_v2' } } }),
        account({ use3Dsecure: false }),
      );
      expect(outcome).toMatchObject({ status: TxStatus.FAILED, notTaken: true, failure: { code: FailureCode.METHOD_UNAVAILABLE } });
      expect(server.requests).toHaveLength(0);
    });

    it('use3Dsecure=true: the browser fingerprint is sent whenever the request carries one', async () => {
      server.respond({ body: paymentForm });
      await provider.deposit(cardDeposit({ browser: { userAgent: 'UA', colorDepth: 24 } }), account({ use3Dsecure: true }));
      expect(server.last().form()).toMatchObject({ ik_x_browser_user_agent: 'UA', ik_x_browser_color_depth: '24' });
    });
  });

  describe('status check of a deposit (GET {api}/co-invoice/{id})', () => {
    const deposit: TransactionView = {
      id: 'tx_1',
      merchantId: 'mer_1',
      merchantTxId: 'order-1',
      txType: TxType.CreditcardDeposit,
      service: null,
      status: TxStatus.WAITING_INPUT,
      amount: 150000n,
      settledAmount: null,
      currency: 'UAH',
      provider: 'interkassa',
      providerAccount: 'DEFAULT',
      providerTxId: 'inv-1',
      parentId: null,
      createdAt: new Date(),
      providerData: null,
    };

    it('a card still at 3-D Secure (state 2, waiting payment) stays WAITING_INPUT, so its session can expire', async () => {
      server.respond({ body: { status: 'ok', code: 0, data: { id: 'inv-1', state: '2', am: '1500.00', cur: 'UAH' } } });
      expect((await provider.checkStatus(deposit, account())).status).toBe(TxStatus.WAITING_INPUT);
      expect(server.last()).toMatchObject({ method: 'GET', url: '/v1/co-invoice/inv-1' });
      expect(provider.sessionLifetimeMs).toBe(3600_000);
    });

    it.each([
      ['3', TxStatus.PROCESSING],
      ['7', TxStatus.SUCCESSFUL],
      ['5', TxStatus.FAILED],
      ['8', TxStatus.FAILED],
      ['6', TxStatus.INCONSISTENT],
    ])('state %s → %s', async (state, status) => {
      server.respond({ body: { status: 'ok', code: 0, data: { id: 'inv-1', state, am: '1500.00', cur: 'UAH' } } });
      expect((await provider.checkStatus(deposit, account())).status).toBe(status);
    });

    it('states the money under either reading of the field names (am / cur, amount / currency)', async () => {
      for (const money of [
        { am: '1400.00', cur: 'UAH' },
        { amount: '1400.00', currency: 'UAH' },
      ]) {
        server.respond({ body: { status: 'ok', code: 0, data: { id: 'inv-1', state: '7', ...money } } });
        expect(await provider.checkStatus(deposit, account())).toMatchObject({ status: TxStatus.SUCCESSFUL, amount: 140000n, currency: 'UAH' });
      }
    });
  });

  describe('refund (POST {api}/refund)', () => {
    const parent: TransactionView = {
      id: 'tx_dep',
      merchantId: 'mer_1',
      merchantTxId: 'order-1',
      txType: TxType.CreditcardDeposit,
      service: null,
      status: TxStatus.SUCCESSFUL,
      amount: 150000n,
      settledAmount: null,
      currency: 'UAH',
      provider: 'interkassa',
      providerAccount: 'DEFAULT',
      providerTxId: 'inv-9',
      parentId: null,
      createdAt: new Date(),
      providerData: null,
    };
    const refund: RefundRequest = {
      txId: 'tx_ref',
      parent,
      amount: 50000n,
      currency: 'UAH',
      callbackUrl: 'https://payhub.example/callbacks/interkassa/tx_ref',
    };

    it('sends Basic auth, Ik-Api-Account-Id and the form; an accepted refund is PROCESSING, not SUCCESSFUL', async () => {
      server.respond({ body: { status: 'ok', code: 0, data: { id: 'rf-1' }, message: 'Success' } });
      const outcome = await provider.refund(refund, account());
      const sent = server.last();
      expect(sent.method).toBe('POST');
      expect(sent.url).toBe('/v1/refund');
      expect(sent.headers.authorization).toBe(`Basic ${Buffer.from('user-1:api-key').toString('base64')}`);
      expect(sent.headers['ik-api-account-id']).toBe('acc-1');
      expect(sent.form()).toEqual({ id: 'inv-9', amount: '500.00', merchantOrderId: 'tx_ref', description: 'refund of order-1' });
      expect(outcome).toMatchObject({ status: TxStatus.PROCESSING, providerData: { invoiceId: 'inv-9' } });
    });

    it('its status check settles on co-invoice state 9 only; 4 (refund in progress) stays PROCESSING', async () => {
      const child: TransactionView = {
        ...parent,
        id: 'tx_ref',
        txType: TxType.Refund,
        status: TxStatus.PROCESSING,
        providerTxId: 'rf-1',
        parentId: 'tx_dep',
        providerData: { invoiceId: 'inv-9' },
      };
      server.respond({ body: { status: 'ok', code: 0, data: { id: 'inv-9', state: '4' } } });
      expect((await provider.checkStatus(child, account())).status).toBe(TxStatus.PROCESSING);
      expect(server.last().url).toBe('/v1/co-invoice/inv-9');
      server.respond({ body: { status: 'ok', code: 0, data: { id: 'inv-9', state: '9' } } });
      expect((await provider.checkStatus(child, account())).status).toBe(TxStatus.SUCCESSFUL);
    });
  });

  describe('purse balance (GET {api}/purse/{id})', () => {
    it('reads the purse keyed by its id, as the document shows the answer', async () => {
      server.respond({ body: { status: 'ok', code: 0, data: { '302120998124': { id: '302120998124', balance: '21.0000', frozen: '0.0000' } } } });
      expect(await provider.getBalances(account({ purseCurrency: 'UAH' }))).toEqual([{ currency: 'UAH', amount: 2100n }]);
      expect(server.last().url).toBe('/v1/purse/302120998124');
    });

    it('the other reading, the purse itself, is read only when it names the configured purse', async () => {
      server.respond({ body: { status: 'ok', code: 0, data: { id: '302120998124', balance: '21.0000' } } });
      expect(await provider.getBalances(account({ purseCurrency: 'UAH' }))).toEqual([{ currency: 'UAH', amount: 2100n }]);
      server.respond({ body: { status: 'ok', code: 0, data: { id: '999', balance: '21.0000' } } });
      await expect(provider.getBalances(account({ purseCurrency: 'UAH' }))).rejects.toThrow(/purse/);
      server.respond({ body: { status: 'ok', code: 0, data: { balance: '21.0000' } } });
      await expect(provider.getBalances(account({ purseCurrency: 'UAH' }))).rejects.toThrow(/purse/);
    });
  });

  describe('transaction list for reconciliation (GET {api}/co-invoice and /withdraw by date)', () => {
    const from = new Date('2026-03-01T00:00:00Z');
    const to = new Date('2026-03-02T00:00:00Z');
    const invoice = { id: 'inv-1', coId: 'co-1', paymentNo: 'tx_A', state: '7', am: '100.50', cur: 'uah', created: '2026-03-01 10:00:00' };
    const late = { ...invoice, id: 'inv-2', paymentNo: 'tx_B', created: '2026-03-02 00:00:01' };
    const payout = { id: 'w-1', paymentNo: 'tx_P', state: '8', stateName: 'success', amount: '50.00', currencyId: 'uah', created: '2026-03-01 11:00:00' };
    const answer = (path: string, data: unknown) => (req: { url: string }) =>
      req.url.startsWith(path) ? { body: { status: 'ok', code: 0, data } } : { body: { status: 'ok', code: 0, data: {} } };

    it('sends both lists with the checkout, the purse and the dates; reads invoices and payouts created in the range', async () => {
      server.respond((req) =>
        req.url.startsWith('/v1/co-invoice')
          ? { body: { status: 'ok', code: 0, data: { 'inv-1': invoice, 'inv-2': late } } }
          : { body: { status: 'ok', code: 0, data: { 'w-1': payout } } },
      );
      const records = await provider.listTransactions(account(), from, to);
      const urls = server.requests.map((r) => `${r.method} ${r.url}`).sort();
      expect(urls).toEqual([
        'GET /v1/co-invoice?checkoutId=co-1&fromDate=2026-03-01&toDate=2026-03-02',
        'GET /v1/withdraw?purseId=302120998124&fromDate=2026-03-01&toDate=2026-03-02',
      ]);
      for (const r of server.requests) {
        expect(r.headers.authorization).toBe(`Basic ${Buffer.from('user-1:api-key').toString('base64')}`);
        expect(r.headers['ik-api-account-id']).toBe('acc-1');
      }
      expect(records).toEqual([
        { txId: 'tx_A', providerTxId: 'inv-1', status: TxStatus.SUCCESSFUL, amount: 10050n, currency: 'UAH' },
        { txId: 'tx_P', providerTxId: 'w-1', status: TxStatus.SUCCESSFUL, amount: 5000n, currency: 'UAH' },
      ]);
    });

    it('the other readings: a JSON array, long field names (amount, currency), an unknown state kept INCONSISTENT', async () => {
      const long = { id: 'inv-3', paymentNo: 'tx_C', state: '6', amount: '7.00', currency: 'UAH', created: '2026-03-01 12:00:00' };
      server.respond(answer('/v1/co-invoice', [long]));
      expect(await provider.listTransactions(account(), from, to)).toEqual([
        { txId: 'tx_C', providerTxId: 'inv-3', status: TxStatus.INCONSISTENT, amount: 700n, currency: 'UAH' },
      ]);
    });

    it('a refused list fails the report instead of reading as empty', async () => {
      server.respond({ body: { status: 'error', code: 1403, data: { '@resultMessage': 'Access denied' }, message: 'error' } });
      await expect(provider.listTransactions(account(), from, to)).rejects.toThrow(/transaction list failed/);
    });
  });

  describe('payout (POST {api}/withdraw)', () => {
    const upi = {
      txId: 'tx_01ARZ3NDEKTSV4RRFFQ69G5FAV',
      merchantId: 'mer_1',
      merchantTxId: 'po-1',
      userId: 'u-1',
      txType: TxType.WalletWithdrawal,
      service: 'UPI',
      amount: 150000n,
      currency: 'INR',
      country: 'IN',
      wallet: { account: 'rahul99@okhdfc' },
      customer: { firstName: 'Rahul', lastName: 'Shah' },
      callbackUrl: 'https://payhub.example/callbacks/interkassa',
      routing: { payway: null, threeDs: { enabled: false, mode: 'off' as const } },
    };

    it("sends the SDK's fields with details[...] and paymentNo = payhub id; an accepted payout is PROCESSING with its opId", async () => {
      server.respond({ body: { status: 'ok', code: 0, data: { transaction: { id: 'w-1', opId: 'op-1' } }, message: 'Success' } });
      const outcome = await provider.withdraw(upi, account());
      const sent = server.last();
      expect(sent).toMatchObject({ method: 'POST', url: '/v1/withdraw', contentType: 'application/x-www-form-urlencoded' });
      expect(sent.headers['ik-api-account-id']).toBe('acc-1');
      expect(sent.form()).toEqual({
        amount: '1500.00',
        currency: 'inr',
        purseId: '302120998124',
        useShortAlias: 'true',
        action: 'process',
        calcKey: 'psPayeeAmount',
        paymentNo: upi.txId,
        method: 'upi',
        'details[account_number]': 'rahul99@okhdfc',
        'details[first_name]': 'Rahul',
        'details[last_name]': 'Shah',
      });
      expect(outcome).toMatchObject({ status: TxStatus.PROCESSING, providerTxId: 'op-1' });
    });

    it("a refusal keeps Interkassa's code (mapped only through refusalCodes)", async () => {
      server.respond({ body: { status: 'error', code: 1451, data: { '@resultMessage': 'Not enough money in the purse' }, message: 'error' } });
      expect((await provider.withdraw(upi, account())).failure).toMatchObject({
        code: FailureCode.PROVIDER_ERROR,
        providerCode: '1451',
        providerMessage: 'Not enough money in the purse',
      });
      expect((await provider.withdraw(upi, account({ refusalCodes: '1451->INSUFFICIENT_FUNDS' }))).failure).toMatchObject({
        code: FailureCode.INSUFFICIENT_FUNDS,
      });
    });
  });

  describe('notifications', () => {
    const tx: TransactionView = {
      id: 'tx_01ARZ3NDEKTSV4RRFFQ69G5FAV',
      merchantId: 'mer_1',
      merchantTxId: 'order-1',
      txType: TxType.CreditcardDeposit,
      service: null,
      status: TxStatus.WAITING_INPUT,
      amount: 150000n,
      settledAmount: null,
      currency: 'UAH',
      provider: 'interkassa',
      providerAccount: 'DEFAULT',
      providerTxId: null,
      parentId: null,
      createdAt: new Date(),
      providerData: { payway: null, ikEcho: {} },
    };
    const lookup = (acc: ResolvedAccount) => ({ forTransaction: async () => acc, transaction: async () => tx, candidates: async () => [acc] });
    const signed = (fields: Record<string, string>, key = 'sign-key') => ({ ...fields, ik_sign: interkassaSignature(fields, key, 'sha256') });
    const callback = (fields: Record<string, string>, txId?: string): RawCallback => ({
      headers: {},
      query: {},
      params: txId ? { txId } : {},
      rawBody: new URLSearchParams(fields).toString(),
      body: fields,
      contentType: 'application/x-www-form-urlencoded',
    });
    const paid = {
      ik_co_id: 'co-1',
      ik_inv_id: 'inv-1',
      ik_inv_st: 'success',
      ik_pm_no: tx.id,
      ik_am: '1500.00',
      ik_cur: 'UAH',
      ik_pw_via: 'visa_cpaytrz_merchant_uah',
    };

    it('a signed success is SUCCESSFUL with the stated money, answered 200 OK', async () => {
      const verified = await provider.parseCallback(callback(signed(paid), tx.id), lookup(account()));
      expect(verified.response).toEqual({ status: 200, body: 'OK', contentType: 'text/plain' });
      expect(verified.results[0]).toMatchObject({
        txId: tx.id,
        outcome: { status: TxStatus.SUCCESSFUL, amount: 150000n, currency: 'UAH', providerTxId: 'inv-1' },
      });
    });

    it("a wrong signature, another checkout or another transaction's URL is refused", async () => {
      await expect(provider.parseCallback(callback(signed(paid, 'other'), tx.id), lookup(account()))).rejects.toMatchObject({
        code: 'CALLBACK_SIGNATURE_INVALID',
      });
      await expect(provider.parseCallback(callback(signed({ ...paid, ik_co_id: 'co-2' }), tx.id), lookup(account()))).rejects.toMatchObject({
        code: 'CALLBACK_INVALID',
      });
      await expect(provider.parseCallback(callback(signed(paid), 'tx_01ARZ3NDEKTSV4RRFFQ69G5FAW'), lookup(account()))).rejects.toMatchObject({
        code: 'CALLBACK_INVALID',
      });
    });

    it('the payout notification is a trigger only: its body is never applied', async () => {
      const verified = await provider.parseCallback(callback(signed({ id: 'w-1', paymentNo: tx.id, state: '8' })), lookup(account()));
      expect(verified.results).toEqual([{ txId: tx.id, outcome: null }]);
    });
  });

  describe('account schema', () => {
    it('accountID is required with the API credentials (every REST call sends Ik-Api-Account-Id)', () => {
      const { accountID: _dropped, ...withoutAccount } = keys;
      const fields = (raw: unknown) => {
        try {
          validateConfigWith(INTERKASSA_CONFIG_DESCRIPTOR, raw);
          return [];
        } catch (error) {
          return (error as { details: Array<{ field: string }> }).details.map((d) => d.field);
        }
      };
      expect(fields({ accounts: { DEFAULT: withoutAccount } })).toEqual(['accounts.DEFAULT.accountID']);
      expect(() => validateConfigWith(INTERKASSA_CONFIG_DESCRIPTOR, { accounts: { DEFAULT: keys } })).not.toThrow();
    });
  });
});
