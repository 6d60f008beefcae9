import { randomToken } from '@payhub/common';
import { CallbackInboxEntity, CheckStatusUseCase } from '@payhub/payments';
import { ProviderConfigService } from '@payhub/provider-config';
import { InterkassaProvider } from '@payhub/providers-interkassa';
import { INTERKASSA_DEMO_SEED } from '../scripts/demo/interkassa.demo-seed';
import { RoutingRuleDto, RoutingService } from '@payhub/routing';
import { TransactionEntity, TransactionEventEntity } from '@payhub/transactions';
import { interactionFields } from '../apps/sandbox/src/interkassa/interkassa-sandbox.controller';
import { sandboxIkSign } from '../apps/sandbox/src/interkassa/interkassa-sandbox.signature';
import { IK_DEFAULT_READINGS, IkSandboxReadings, InterkassaSandboxState } from '../apps/sandbox/src/interkassa/interkassa-sandbox.state';
import { freePort } from './support/free-port';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { TestSandbox } from './support/test-sandbox';

interface IkMerchant extends TestMerchant {
  keys: { checkoutId: string; customerId: string; apiKey: string; secretKey: string; testKey: string; accountID: string; walletId: string };
}

const BROWSER = {
  acceptHeader: 'text/html',
  userAgent: 'Mozilla/5.0',
  language: 'en-US',
  colorDepth: 24,
  screenHeight: 1080,
  screenWidth: 1920,
  timeZoneOffset: -120,
  javaEnabled: false,
  javaScriptEnabled: true,
  ip: '84.232.140.77',
};

describe('Interkassa deposits, refunds and callbacks through payhub and the sandbox', () => {
  let t: TestApp;
  let sandbox: TestSandbox;

  beforeAll(async () => {
    sandbox = await TestSandbox.start();
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  const ikState = () => sandbox.app.get(InterkassaSandboxState);
  // A test that switches a simulator reading leaves the defaults behind it.
  afterEach(() => {
    if (sandbox) ikState().readings = { ...IK_DEFAULT_READINGS };
  });
  const sandboxHttp = (path: string, init?: RequestInit) => fetch(`${sandbox.url}${path}`, init);
  const sentFor = async (txId: string) =>
    (
      (await (await sandboxHttp(`/interkassa/_sandbox/requests?contains=${txId}`)).json()) as {
        data: Array<{ path: string; headers: Record<string, string>; fields: Record<string, string> }>;
      }
    ).data;
  const stored = (id: string) => t.db.getRepository(TransactionEntity).findOneByOrFail({ id });
  const inbox = (txId: string) => t.db.getRepository(CallbackInboxEntity).find({ where: { transactionId: txId } });

  async function ikMerchant(
    options: { timeoutMs?: number; signAlgorithm?: 'md5' | 'sha256'; testMode?: boolean; sci?: string; rules?: RoutingRuleDto[] } = {},
  ): Promise<IkMerchant> {
    const merchant = await t.newMerchant();
    const r = randomToken(8).toLowerCase();
    const keys = {
      checkoutId: `co-${r}`,
      customerId: `user-${r}`,
      apiKey: `api-${r}`,
      secretKey: `sign-${r}`,
      testKey: `test-${r}`,
      accountID: `acc-${r}`,
      walletId: `purse-${r}`,
    };
    const signAlgorithm = options.signAlgorithm ?? 'sha256';
    await sandboxHttp('/interkassa/_sandbox/checkouts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...keys, signAlgorithm }),
    });
    await t.app.get(ProviderConfigService).put(
      merchant.id,
      'interkassa',
      {
        enabled: true,
        testMode: options.testMode ?? false,
        paywayMapping: 'VISA->visa,MASTERCARD->mastercard,VISA_UAH->visa_cpaytrz_merchant_uah',
        defaultDescriptor: 'payhub test',
        baseUrls: { api: `${sandbox.url}/interkassa/api/v1`, sci: options.sci ?? `${sandbox.url}/interkassa/sci` },
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        accounts: { DEFAULT: { ...keys, signAlgorithm, method: 'card', purseCurrency: 'UAH', supportedCurrencies: 'UAH|KZT|EUR|USD|GBP|INR' } },
      },
      'test',
    );
    await t.app.get(RoutingService).replaceRules(merchant.id, options.rules ?? INTERKASSA_DEMO_SEED.rules, 'test');
    return { ...merchant, keys };
  }

  /** What a customer's browser does with nextAction: open the page, press Approve or Fail. */
  async function customer(nextAction: { url: string; params: Record<string, string> }, decision: 'approve' | 'fail'): Promise<Response> {
    const page = await (await fetch(`${nextAction.url}?${new URLSearchParams(nextAction.params)}`)).text();
    const action = new RegExp(`action="([^"]+/${decision})"`).exec(page)?.[1];
    if (!action) throw new Error(`no ${decision} form on the payment page`);
    return fetch(`${sandbox.url}${action}`, { method: 'POST', redirect: 'manual' });
  }

  it("the demo seed's config and routing work against the sandbox's demo checkout", async () => {
    const demo = await t.newMerchant();
    await t.app.get(ProviderConfigService).put(demo.id, 'interkassa', INTERKASSA_DEMO_SEED.config(sandbox.url), 'test');
    await t.app.get(RoutingService).replaceRules(demo.id, INTERKASSA_DEMO_SEED.rules, 'test');
    const card = await demo.api.post('/v1/deposits', deposit({ currency: 'KZT' }));
    expect(card.body).toMatchObject({ status: 'WAITING_INPUT', provider: 'interkassa' });
    await customer(card.body.nextAction, 'approve');
    expect((await stored(card.body.id)).status).toBe('SUCCESSFUL');
    const upi = await demo.api.post(
      '/v1/deposits',
      deposit({ txType: 'WalletDeposit', service: 'UPI', currency: 'INR', country: 'IN', card: undefined, wallet: { account: 'demo123@upi' } }),
    );
    expect(upi.body).toMatchObject({ status: 'WAITING_INPUT', provider: 'interkassa' });
  });

  describe('card deposits (h2h, ik_act=process, ik_int=json)', () => {
    let m: IkMerchant;
    beforeAll(async () => {
      m = await ikMerchant();
    });

    it('sends the documented request, answers REDIRECT, and the 3DS approval settles it by the signed interaction callback', async () => {
      const res = await m.api.post('/v1/deposits', deposit({ amount: 150000, currency: 'UAH' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'WAITING_INPUT', provider: 'interkassa', nextAction: { type: 'REDIRECT', method: 'GET' } });
      const txId = res.body.id;

      const [sent] = await sentFor(txId);
      expect(sent.path).toBe('/sci');
      const { ik_sign, ...fields } = sent.fields;
      expect(fields).toEqual({
        ik_co_id: m.keys.checkoutId,
        ik_pm_no: txId,
        ik_am: '1500.00',
        ik_cur: 'UAH',
        ik_desc: 'payhub test',
        ik_act: 'process',
        ik_int: 'json',
        ik_ia_u: `${t.http.baseUrl}/callbacks/interkassa/${txId}`,
        ik_ia_m: 'post',
        ik_ltm: '3300',
        ik_pw_via: 'visa_cpaytrz_merchant_uah',
        ik_pay_card_number: '4111111111111111',
        ik_pay_card_exp_month: '12',
        ik_pay_card_exp_year: '30',
        ik_pay_card_cvv: '123',
        ik_cli: 'a@b.co',
        ik_x_customer_email: 'a@b.co',
        ik_x_customer_phone: '+380501234567',
        ik_suc_u: 'https://m.example/ok',
        ik_suc_m: 'get',
        ik_fal_u: 'https://m.example/fail',
        ik_fal_m: 'get',
      });
      expect(ik_sign).toBe(sandboxIkSign(fields, m.keys.secretKey, 'sha256'));

      const answer = await customer(res.body.nextAction, 'approve');
      expect(answer.status).toBe(303);
      expect(answer.headers.get('location')).toBe('https://m.example/ok');
      expect(answer.headers.get('x-ik-callback-status')).toBe('200');
      const tx = await stored(txId);
      expect(tx.status).toBe('SUCCESSFUL');
      expect(tx.providerTxId).toBe([...ikState().invoices.values()].find((i) => i.paymentNo === txId)!.id);
      expect((await inbox(txId)).map((r) => r.state)).toEqual(['applied']);

      // Card data never lands in the events' raw exchanges.
      const events = await t.db.getRepository(TransactionEventEntity).findBy({ transactionId: txId });
      const kept = JSON.stringify(events);
      expect(kept).not.toContain('4111111111111111');
      expect(kept).toContain('411111******1111');
      expect(kept).not.toMatch(/"ik_pay_card_cvv":"123"/);
    });

    it('a failed 3DS check ends FAILED with the provider state', async () => {
      const res = await m.api.post('/v1/deposits', deposit({ card: { number: '5555555555554444', expiryMonth: '10', expiryYear: '2031', cvv: '321' } }));
      expect(res.body.status).toBe('WAITING_INPUT');
      // MASTERCARD->mastercard names no payway (issue 15): the currency-independent method form goes instead.
      expect((await sentFor(res.body.id))[0].fields).toMatchObject({ ik_payment_method: 'card', ik_payment_currency: 'UAH' });
      expect((await sentFor(res.body.id))[0].fields.ik_pw_via).toBeUndefined();
      const answer = await customer(res.body.nextAction, 'fail');
      expect(answer.headers.get('location')).toBe('https://m.example/fail');
      const after = (await m.api.get(`/v1/transactions/${res.body.id}`)).body;
      expect(after).toMatchObject({ status: 'FAILED', failure: { providerCode: 'fail' } });
    });

    it("a declined card is FAILED at once with Interkassa's code and message", async () => {
      const res = await m.api.post('/v1/deposits', deposit({ card: { number: '4000000000000002', expiryMonth: '12', expiryYear: '2030', cvv: '123' } }));
      expect(res.body).toMatchObject({ status: 'FAILED', nextAction: null, failure: { providerCode: '6', providerMessage: 'Card declined' } });
    });

    it('sends the browser fingerprint when 3DS2 routing asks for it, and only then', async () => {
      const m3 = await ikMerchant();
      await t.app.get(RoutingService).setThreeDsSetting(m3.id, { enabled: true, mode: 'required_3ds_v2' }, 'test');
      const missing = await m3.api.post('/v1/deposits', deposit());
      expect(missing.status).toBe(400);
      const res = await m3.api.post('/v1/deposits', deposit({ browser: BROWSER }));
      expect(res.body.status).toBe('WAITING_INPUT');
      const fields = (await sentFor(res.body.id))[0].fields;
      expect(fields).toMatchObject({
        ik_x_browser_accept_header: 'text/html',
        ik_x_browser_user_agent: 'Mozilla/5.0',
        ik_x_browser_language: 'en-US',
        ik_x_browser_color_depth: '24',
        ik_x_browser_screen_height: '1080',
        ik_x_browser_screen_width: '1920',
        ik_x_browser_time_zone_offset: '-120',
        ik_x_browser_java_enabled: 'false',
        ik_browser_java_script_enabled: 'true',
        ik_x_browser_ip_address: '84.232.140.77',
      });
      const plain = await m.api.post('/v1/deposits', deposit({ browser: BROWSER }));
      expect(Object.keys((await sentFor(plain.body.id))[0].fields).filter((k) => k.includes('browser'))).toEqual([]);
    });

    it('test mode uses the test payway, an md5 checkout, the request signed with the sign key and the callback with the test key', async () => {
      const mt = await ikMerchant({ testMode: true, signAlgorithm: 'md5' });
      const res = await mt.api.post('/v1/deposits', deposit({ currency: 'EUR', amount: 1999 }));
      const fields = (await sentFor(res.body.id))[0].fields;
      expect(fields).toMatchObject({ ik_pw_via: 'test_interkassa_test_xts', ik_am: '19.99', ik_cur: 'EUR' });
      const { ik_sign, ...rest } = fields;
      expect(ik_sign).toBe(sandboxIkSign(rest, mt.keys.secretKey, 'md5'));
      await customer(res.body.nextAction, 'approve');
      expect((await stored(res.body.id)).status).toBe('SUCCESSFUL');
    });
  });

  describe('Indian methods', () => {
    let m: IkMerchant;
    beforeAll(async () => {
      m = await ikMerchant();
    });
    const inr = (overrides: Record<string, unknown>) =>
      deposit({ currency: 'INR', country: 'IN', card: undefined, amount: 50000, customer: { email: 'a@b.co', phone: '+919876543210' }, ...overrides });

    it('UPI deposit: the UPI payway and address, then approval on the collect page', async () => {
      const res = await m.api.post('/v1/deposits', inr({ txType: 'WalletDeposit', service: 'UPI', wallet: { account: '5871670381@paytm' } }));
      expect(res.body).toMatchObject({ status: 'WAITING_INPUT', nextAction: { type: 'REDIRECT' } });
      const fields = (await sentFor(res.body.id))[0].fields;
      expect(fields).toMatchObject({
        ik_pw_via: 'inps_cpaytrz_merchantUPI_inr',
        ik_x_upi_number: '5871670381@paytm',
        ik_x_mop_type: '504',
        ik_am: '500.00',
        ik_cur: 'INR',
      });
      expect(Object.keys(fields).filter((k) => k.startsWith('ik_pay_card'))).toEqual([]);
      await customer(res.body.nextAction, 'approve');
      expect((await stored(res.body.id)).status).toBe('SUCCESSFUL');
    });

    it('UPI deposit with an address that is not name@bank (5–45 chars) is a 400 naming the field; nothing stored or sent', async () => {
      for (const account of ['abc', 'no-at-sign-here', `${'a'.repeat(44)}@x`]) {
        const body = inr({ txType: 'WalletDeposit', service: 'UPI', wallet: { account } });
        const res = await m.api.post('/v1/deposits', body);
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({
          code: 'VALIDATION_FAILED',
          details: [{ field: 'wallet.account', issue: expect.stringContaining('name@bank') }],
        });
        expect(await t.db.getRepository(TransactionEntity).countBy({ merchantTxId: body.merchantTxId as string })).toBe(0);
      }
    });

    it('Net Banking deposit sends the bank; the customer failing it ends FAILED', async () => {
      const res = await m.api.post('/v1/deposits', inr({ txType: 'BankDeposit', service: 'NET_BANKING', bank: { name: 'HDFC' } }));
      expect((await sentFor(res.body.id))[0].fields).toMatchObject({ ik_pw_via: 'inps_cpaytrz_merchantNetBanking_inr', ik_x_mop_type: 'HDFC' });
      await customer(res.body.nextAction, 'fail');
      expect((await stored(res.body.id)).status).toBe('FAILED');
    });

    it('wallet deposit (service WALLET) sends the chosen wallet by payment method', async () => {
      const res = await m.api.post('/v1/deposits', inr({ txType: 'WalletDeposit', service: 'WALLET', wallet: { account: 'phonepe' } }));
      expect((await sentFor(res.body.id))[0].fields).toMatchObject({ ik_payment_method: 'wallet', ik_payment_currency: 'INR', ik_x_mop_type: 'phonepe' });
      await customer(res.body.nextAction, 'approve');
      expect((await stored(res.body.id)).status).toBe('SUCCESSFUL');
    });
  });

  describe('unknown outcomes and unreachable provider', () => {
    it('a timeout leaves the deposit INCONSISTENT and a status check (co-invoice by paymentNo) settles it', async () => {
      const m = await ikMerchant({ timeoutMs: 1000 });
      // payhub stops waiting at the merchant's 1 s timeout: the answer says so (a wall-clock bound would measure the load).
      const res = await m.api.post('/v1/deposits', deposit({ amount: 150013 }));
      expect(res.body).toMatchObject({
        status: 'INCONSISTENT',
        nextAction: null,
        failure: { code: 'PROVIDER_ERROR', reason: 'No answer from Interkassa: no answer within 1000 ms' },
      });
      const { result, tx } = await t.app.get(CheckStatusUseCase).check(res.body.id);
      expect(result).toBe('applied');
      expect(tx.status).toBe('SUCCESSFUL');
      expect(tx.providerTxId).toBe([...ikState().invoices.values()].find((i) => i.paymentNo === res.body.id)!.id);
      const lookups = (await sentFor(res.body.id)).filter((r) => r.path.startsWith('/co-invoice'));
      expect(lookups[0].headers).toMatchObject({
        authorization: `Basic ${Buffer.from(`${m.keys.customerId}:${m.keys.apiKey}`).toString('base64')}`,
        'ik-api-account-id': m.keys.accountID,
      });
    });

    it('an HTTP 500 leaves the deposit INCONSISTENT, never FAILED', async () => {
      const m = await ikMerchant();
      const res = await m.api.post('/v1/deposits', deposit({ amount: 150050 }));
      expect(res.body).toMatchObject({ status: 'INCONSISTENT', failure: { code: 'PROVIDER_ERROR', providerCode: '500' } });
      // Nothing exists at Interkassa: the status check cannot settle it, so it stays INCONSISTENT.
      const { tx } = await t.app.get(CheckStatusUseCase).check(res.body.id);
      expect(tx.status).toBe('INCONSISTENT');
    });

    it('connection refused: certainly not taken, FAILED, and routing may fall back', async () => {
      // A free port: nothing listens there, so the connection is refused before anything is sent.
      const m = await ikMerchant({ sci: `http://127.0.0.1:${await freePort()}/interkassa/sci` });
      const res = await m.api.post('/v1/deposits', deposit());
      // One code per cause across providers (issue 15): an unreachable provider is PROVIDER_ERROR.
      expect(res.body).toMatchObject({ status: 'FAILED', failure: { code: 'PROVIDER_ERROR' } });

      await t.app
        .get(ProviderConfigService)
        .put(m.id, 'testpay', { enabled: true, testMode: true, baseUrls: {}, accounts: { DEFAULT: { apiKey: 'k-123456' } } }, 'test');
      await t.app.get(RoutingService).replaceRules(
        m.id,
        [
          {
            name: 'ik then testpay',
            priority: 1,
            enabled: true,
            when: {},
            then: { targets: [{ provider: 'interkassa', account: 'DEFAULT', weight: 100 }], fallback: [{ provider: 'testpay', account: 'DEFAULT' }] },
          } as RoutingRuleDto,
        ],
        'test',
      );
      const fallback = await m.api.post('/v1/deposits', deposit());
      expect(fallback.body).toMatchObject({ status: 'WAITING_INPUT', provider: 'testpay' });
    });
  });

  describe('interaction callbacks', () => {
    let m: IkMerchant;
    beforeAll(async () => {
      m = await ikMerchant();
    });

    async function openDeposit() {
      const res = await m.api.post('/v1/deposits', deposit());
      const invoice = [...ikState().invoices.values()].find((i) => i.paymentNo === res.body.id)!;
      return { txId: res.body.id as string, invoice };
    }
    const postForm = (path: string, fields: Record<string, string>) =>
      fetch(`${t.http.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });

    it('rejects a forged, a tampered and an unsigned callback: 403, stored as rejected, nothing changed', async () => {
      const { txId, invoice } = await openDeposit();
      const checkout = ikState().checkouts.get(m.keys.checkoutId)!;
      const genuine = interactionFields({ ...invoice, invState: 'success' }, checkout);
      const forged = { ...genuine, ik_sign: sandboxIkSign(genuine, 'not-the-key', 'sha256') };
      const tampered = { ...genuine, ik_am: '1.00' };
      const { ik_sign: _dropped, ...unsigned } = genuine;
      for (const body of [forged, tampered, unsigned]) {
        const res = await postForm(`/callbacks/interkassa/${txId}`, body);
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CALLBACK_SIGNATURE_INVALID');
      }
      expect((await stored(txId)).status).toBe('WAITING_INPUT');
      expect((await inbox(txId)).map((r) => r.state)).toEqual(['rejected', 'rejected', 'rejected']);
    });

    it("refuses a genuine callback replayed onto another transaction's URL", async () => {
      const a = await openDeposit();
      const b = await openDeposit();
      const fields = interactionFields({ ...a.invoice, invState: 'success' }, ikState().checkouts.get(m.keys.checkoutId)!);
      const res = await postForm(`/callbacks/interkassa/${b.txId}`, fields);
      expect(res.status).toBe(400);
      expect((await stored(b.txId)).status).toBe('WAITING_INPUT');
    });

    it('100 parallel copies of one success callback: all answered 200 OK text/plain, applied once', async () => {
      const { txId, invoice } = await openDeposit();
      const fields = interactionFields({ ...invoice, invState: 'success', processed: '2026-01-01 10:00:00' }, ikState().checkouts.get(m.keys.checkoutId)!);
      const answers = await Promise.all(
        Array.from({ length: 100 }, async () => {
          const res = await postForm(`/callbacks/interkassa/${txId}`, fields);
          return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
        }),
      );
      expect(answers.every((a) => a.status === 200 && a.body === 'OK' && a.type?.startsWith('text/plain'))).toBe(true);
      const states = (await inbox(txId)).map((r) => r.state);
      expect(states.filter((s) => s === 'applied')).toHaveLength(1);
      expect(states.filter((s) => s === 'duplicate')).toHaveLength(99);
      const changes = await t.db.getRepository(TransactionEventEntity).findBy({ transactionId: txId, toStatus: 'SUCCESSFUL' as never });
      expect(changes).toHaveLength(1);
    });

    it('a pending state then success are two different notifications; an unknown state is noted and never guessed', async () => {
      const { txId, invoice } = await openDeposit();
      const checkout = ikState().checkouts.get(m.keys.checkoutId)!;
      expect((await postForm(`/callbacks/interkassa/${txId}`, interactionFields({ ...invoice, invState: 'process' }, checkout))).status).toBe(200);
      expect((await stored(txId)).status).toBe('PROCESSING');
      const weird = interactionFields({ ...invoice, invState: 'paidMaybe' as never }, checkout);
      expect((await postForm(`/callbacks/interkassa/${txId}`, weird)).status).toBe(200);
      expect((await stored(txId)).status).toBe('PROCESSING');
      expect((await postForm(`/callbacks/interkassa/${txId}`, interactionFields({ ...invoice, invState: 'success' }, checkout))).status).toBe(200);
      expect((await stored(txId)).status).toBe('SUCCESSFUL');
      expect((await inbox(txId)).map((r) => r.state).sort()).toEqual(['applied', 'applied', 'applied']);
    });
  });

  it('the simulator refuses a payway that is no per-currency alias (VISA->visa sent as ik_pw_via), as Interkassa would not know it', async () => {
    const m = await ikMerchant();
    const base = {
      ik_co_id: m.keys.checkoutId,
      ik_pm_no: `pm-${randomToken(8)}`,
      ik_am: '10.00',
      ik_cur: 'UAH',
      ik_desc: 'x',
      ik_act: 'process',
      ik_int: 'json',
    };
    const send = async (fields: Record<string, string>) =>
      (
        await sandboxHttp('/interkassa/sci', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...fields, ik_sign: sandboxIkSign(fields, m.keys.secretKey, 'sha256') }).toString(),
        })
      ).json() as Promise<{ resultCode: number }>;
    expect((await send({ ...base, ik_pw_via: 'visa' })).resultCode).toBe(7);
    expect((await send({ ...base, ik_pm_no: `pm-${randomToken(8)}`, ik_pw_via: 'visa_cpaytrz_merchant_usd' })).resultCode).toBe(7);
    expect((await send({ ...base, ik_pm_no: `pm-${randomToken(8)}`, ik_pw_via: 'visa_cpaytrz_merchant_uah' })).resultCode).toBe(0);
    expect((await send({ ...base, ik_pm_no: `pm-${randomToken(8)}`, ik_payment_method: 'card', ik_payment_currency: 'UAH' })).resultCode).toBe(0);
  });

  describe('ik_x_* echo (issue 15)', () => {
    it('a notification echoing another ik_x_* value than payhub sent is refused; the genuine echo settles', async () => {
      const m = await ikMerchant();
      const postForm = (path: string, fields: Record<string, string>) =>
        fetch(`${t.http.baseUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
        });
      const upi = deposit({
        currency: 'INR',
        country: 'IN',
        card: undefined,
        amount: 50000,
        customer: { email: 'a@b.co', phone: '+919876543210' },
        txType: 'WalletDeposit',
        service: 'UPI',
        wallet: { account: 'rahul99@okhdfc' },
      });
      const res = await m.api.post('/v1/deposits', upi);
      expect(res.body.status).toBe('WAITING_INPUT');
      const invoice = ikState().invoiceByPaymentNo(m.keys.checkoutId, res.body.id)!;
      expect(invoice.echo).toMatchObject({ ik_x_upi_number: 'rahul99@okhdfc', ik_x_mop_type: '504' });
      const checkout = ikState().checkouts.get(m.keys.checkoutId)!;
      const tampered = interactionFields(
        { ...invoice, invState: 'success', coState: '7', echo: { ...invoice.echo, ik_x_upi_number: 'thief@okicici' } },
        checkout,
      );
      expect((await postForm(`/callbacks/interkassa/${res.body.id}`, tampered)).status).toBe(400);
      expect((await stored(res.body.id)).status).toBe('WAITING_INPUT');
      const genuine = interactionFields({ ...invoice, invState: 'success', coState: '7' }, checkout);
      expect((await postForm(`/callbacks/interkassa/${res.body.id}`, genuine)).status).toBe(200);
      expect((await stored(res.body.id)).status).toBe('SUCCESSFUL');
    });
  });

  describe('refunds, reversal, purse balance', () => {
    let m: IkMerchant;
    beforeAll(async () => {
      m = await ikMerchant();
    });

    async function paidDeposit(amount = 150000): Promise<string> {
      const res = await m.api.post('/v1/deposits', deposit({ amount }));
      await customer(res.body.nextAction, 'approve');
      expect((await stored(res.body.id)).status).toBe('SUCCESSFUL');
      return res.body.id;
    }

    it('partial refunds then the rest: POST /refund with the invoice id and amount, refundedAmount follows', async () => {
      const depositId = await paidDeposit();
      const invoiceId = (await stored(depositId)).providerTxId!;
      const first = await m.api.post(`/v1/transactions/${depositId}/refunds`, { amount: 50000, merchantRefundId: `r-${randomToken(6)}` });
      expect(first.status).toBe(201);
      // Accepted is not refunded (issue 15): PROCESSING until the invoice says so.
      expect(first.body).toMatchObject({ status: 'PROCESSING', txType: 'Refund', amount: 50000, parentId: depositId });
      const sent = (await sentFor(first.body.id)).find((r) => r.path === '/refund')!;
      expect(sent.fields).toEqual({ id: invoiceId, amount: '500.00', merchantOrderId: first.body.id, description: expect.stringContaining('refund of') });
      expect(sent.headers).toMatchObject({ 'ik-api-account-id': m.keys.accountID, 'content-type': 'application/x-www-form-urlencoded' });

      // State 4 (refund in progress) is no refund yet; the sandbox's invoice is paid (7) again after that read.
      expect((await t.app.get(CheckStatusUseCase).check(first.body.id)).tx.status).toBe('PROCESSING');
      expect(ikState().invoices.get(invoiceId)!.coState).toBe('7');

      const rest = await m.api.post(`/v1/transactions/${depositId}/refunds`, { merchantRefundId: `r-${randomToken(6)}` });
      expect(rest.body).toMatchObject({ status: 'PROCESSING', amount: 100000 });
      const more = await m.api.post(`/v1/transactions/${depositId}/refunds`, { amount: 1, merchantRefundId: `r-${randomToken(6)}` });
      expect(more.status).toBe(422);
      expect((await t.app.get(CheckStatusUseCase).check(rest.body.id)).tx.status).toBe('PROCESSING');
      expect(ikState().invoices.get(invoiceId)!.coState).toBe('9');

      // State 9: the whole invoice is refunded, so every refund of it is done.
      expect((await t.app.get(CheckStatusUseCase).check(rest.body.id)).tx.status).toBe('SUCCESSFUL');
      expect((await t.app.get(CheckStatusUseCase).check(first.body.id)).tx.status).toBe('SUCCESSFUL');
      expect((await m.api.get(`/v1/transactions/${depositId}`)).body.refundedAmount).toBe(150000);
    });

    it('a refund Interkassa refuses is FAILED with its code, and the deposit keeps its amount', async () => {
      const depositId = await paidDeposit();
      const res = await m.api.post(`/v1/transactions/${depositId}/refunds`, { amount: 10051, merchantRefundId: `r-${randomToken(6)}` });
      expect(res.body).toMatchObject({ status: 'FAILED', failure: { providerCode: '1451' } });
      expect((await m.api.get(`/v1/transactions/${depositId}`)).body.refundedAmount).toBe(0);
    });

    it('a refund answered with HTTP 500 stays INCONSISTENT', async () => {
      const depositId = await paidDeposit(150000);
      const res = await m.api.post(`/v1/transactions/${depositId}/refunds`, { amount: 10050, merchantRefundId: `r-${randomToken(6)}` });
      expect(res.body.status).toBe('INCONSISTENT');
    });

    it('reversal from the back office returns the whole deposit through /refund', async () => {
      const depositId = await paidDeposit(20000);
      const operator = await t.newStaff(['operator']);
      const res = await operator.bo.post(`/backoffice/transactions/${depositId}/reversal`, { reason: 'customer dispute' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'PROCESSING', txType: 'Reversal', amount: 20000 });
      expect((await sentFor(res.body.id)).find((r) => r.path === '/refund')!.fields).toMatchObject({
        amount: '200.00',
        description: expect.stringContaining('reversal of'),
      });
    });

    it.each<Partial<IkSandboxReadings>>([
      {},
      { purseAnswer: 'flat', listShape: 'array', invoiceFields: 'long' },
      { purseAnswer: 'keyed', listShape: 'array', invoiceFields: 'short' },
      { purseAnswer: 'flat', listShape: 'keyed', invoiceFields: 'long' },
    ])("reconciliation: the purse balance in minor units and the day's invoices with their payhub ids (simulator readings %j)", async (readings) => {
      ikState().readings = { ...IK_DEFAULT_READINGS, ...readings };
      ikState().checkouts.get(m.keys.checkoutId)!.purseBalance = 12345.6789;
      const account = await t.app.get(ProviderConfigService).resolveAccount(m.id, 'interkassa', 'DEFAULT');
      const provider = t.app.get(InterkassaProvider);
      expect(await provider.getBalances(account)).toEqual([{ currency: 'UAH', amount: 1234567n }]);
      const sent = (await sentFor(m.keys.walletId)).find((r) => r.path === `/purse/${m.keys.walletId}`)!;
      expect(sent.headers).toMatchObject({ 'ik-api-account-id': m.keys.accountID });

      const depositId = await paidDeposit(30000);
      const now = Date.now();
      const records = await provider.listTransactions(account, new Date(now - 3_600_000), new Date(now + 3_600_000));
      expect(records).toContainEqual({
        txId: depositId,
        providerTxId: (await stored(depositId)).providerTxId,
        status: 'SUCCESSFUL',
        amount: 30000n,
        currency: 'UAH',
      });
    });
  });
});
