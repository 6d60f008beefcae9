import { CallbackInboxEntity, CheckStatusUseCase } from '@payhub/payments';
import { ProviderConfigService } from '@payhub/provider-config';
import { RoutingRuleDto, RoutingService } from '@payhub/routing';
import { OutboxEntity, TransactionEntity, TransactionEventEntity } from '@payhub/transactions';
import { freePort } from './support/free-port';
import { HttpClient } from './support/http-client';
import { TestApp, TestMerchant } from './support/test-app';
import { KASHA_OTHER_PATHS } from '../apps/sandbox/src/kasha/kasha-sandbox.state';
import { TestSandbox } from './support/test-sandbox';
import { waitFor } from './support/webhook-endpoint';

/**
 * Kasha deposits end to end: payhub's API → the adapter → the Kasha simulator over HTTP → the
 * simulator's notification → payhub's status check. Amounts pick the simulator's outcome by their
 * whole part in major units (apps/sandbox/README.md): 300 = 3DS, 777 = slow, 500 = HTTP 500, an
 * error code = that error.
 */
describe('Kasha deposits', () => {
  let t: TestApp;
  let sandbox: TestSandbox;
  let kasha: HttpClient;

  beforeAll(async () => {
    [t, sandbox] = await Promise.all([TestApp.start(), TestSandbox.start()]);
    kasha = new HttpClient(`${sandbox.url}/kasha`);
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  async function kashaMerchant(
    account: Record<string, unknown> = {},
    options: { baseUrl?: string; fallback?: boolean; timeoutMs?: number } = {},
  ): Promise<TestMerchant> {
    const merchant = await t.newMerchant();
    const configs = t.app.get(ProviderConfigService);
    await configs.put(
      merchant.id,
      'kasha',
      {
        enabled: true,
        testMode: true,
        baseUrls: { api: options.baseUrl ?? `${sandbox.url}/kasha` },
        accounts: { DEFAULT: { apiKey: 'kasha-test-key', supportedCurrencies: 'BRL|ARS|MXN|CLP|COP|PEN', ...account } },
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      },
      'test',
    );
    if (options.fallback)
      await configs.put(merchant.id, 'testpay', { enabled: true, testMode: true, baseUrls: {}, accounts: { DEFAULT: { apiKey: 'k-123456' } } }, 'test');
    await t.app.get(RoutingService).replaceRules(
      merchant.id,
      [
        {
          name: 'kasha',
          priority: 10,
          enabled: true,
          when: {},
          then: {
            targets: [{ provider: 'kasha', account: 'DEFAULT', weight: 100 }],
            fallback: options.fallback ? [{ provider: 'testpay', account: 'DEFAULT' }] : [],
          },
        } as RoutingRuleDto,
      ],
      'test',
    );
    return merchant;
  }

  let seq = 0;
  const cardDeposit = (amount: number, overrides: Record<string, unknown> = {}) => ({
    merchantTxId: `ks-${Date.now()}-${seq++}`,
    userId: 'user-7',
    txType: 'CreditcardDeposit',
    amount,
    currency: 'BRL',
    country: 'BR',
    card: { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', cvv: '737', holder: 'MARIA SILVA' },
    customer: {
      email: 'maria@example.com',
      phone: '+5511999999999',
      firstName: 'Maria',
      lastName: 'Silva',
      identify: { number: '36570630563', type: 'BRA_CPF' },
      address: { line1: 'Rua Augusta 100', city: 'Sao Paulo', postalCode: '01304000', country: 'BR' },
    },
    browser: { userAgent: 'Mozilla/5.0', ip: '84.232.140.77' },
    redirectUrls: { success: 'https://m.example/ok' },
    ...overrides,
  });
  const bankDeposit = (amount: number, overrides: Record<string, unknown> = {}) =>
    cardDeposit(amount, { txType: 'BankDeposit', card: undefined, bank: { bankCode: 'b_101' }, ...overrides });

  const stored = (id: string) => t.db.getRepository(TransactionEntity).findOneByOrFail({ id });
  const events = (id: string) => t.db.getRepository(TransactionEventEntity).find({ where: { transactionId: id }, order: { id: 'ASC' } });
  const sandboxTx = async (kashaId: string) => (await kasha.get(`/_sandbox/transactions/${kashaId}`)).body;
  async function until(id: string, done: (tx: TransactionEntity) => boolean): Promise<TransactionEntity> {
    for (let i = 0; i < 100; i++) {
      const tx = await stored(id);
      if (done(tx)) return tx;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${id} never reached the expected state (now ${(await stored(id)).status})`);
  }
  /** The customer acting on the page a REDIRECT leads to (3DS, bank, cashier). */
  const customer = (url: string, result: 'success' | 'fail' | 'abandon') =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ result }), redirect: 'manual' });

  it('takes a direct card payment: options → direct-payment with the card, 000 → SUCCESSFUL, nothing sensitive kept', async () => {
    const merchant = await kashaMerchant();
    const res = await merchant.api.post('/v1/deposits', cardDeposit(1_000_000));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'SUCCESSFUL', provider: 'kasha', failure: null, nextAction: null });
    const tx = await stored(res.body.id);
    expect(tx.providerTxId).toMatch(/^[0-9a-f-]{36}$/);

    const requests = (await kasha.get(`/_sandbox/requests?contains=${tx.id}`)).body.data;
    const options = requests.find((r: { path: string }) => r.path === '/kasha/v2/payment-options');
    expect(options.authHeaders).toEqual(['x-api-key']);
    expect(options.body).toMatchObject({
      country: 'BR',
      currency: 'BRL',
      amount: 10000,
      language: 'EN',
      merchantReference: tx.id,
      userId: 'user-7',
      extra2: tx.merchantTxId,
      extra3: merchant.id,
      notificationUrl: `${t.config.publicUrl}/callbacks/kasha/${tx.id}`,
      redirectUrl: 'https://m.example/ok',
      customer: {
        name: 'Maria Silva',
        phone: '+5511999999999',
        identify: { number: '36570630563', type: 'BRA_CPF' },
        address: { street: 'Rua Augusta 100', zipCode: '01304000', city: 'Sao Paulo', country: 'BR' },
        ip: '84.232.140.77',
      },
    });
    const kashaTx = await sandboxTx(tx.providerTxId!);
    expect(kashaTx).toMatchObject({ status: 'COMPLETED', cardMask: '411111******1111', extraData: { cardholder: 'MARIA SILVA' } });

    const kept = JSON.stringify(await events(tx.id));
    expect(kept).toContain('direct-payment');
    expect(kept).toContain('411111******1111');
    expect(kept).not.toContain('4111111111111111');
    expect(kept).not.toContain('"737"');
    expect(kept).not.toContain('kasha-test-key');
  });

  it('sends the documented optional fields: tax, orderDetails, shippingAddress, customer.userDevice, address.streetNumber', async () => {
    const merchant = await kashaMerchant();
    const base = cardDeposit(1_000_000);
    const order = {
      tax: '21%',
      items: [{ productName: 'shirt-1233474', quantity: 1, dimensions: '85x51', description: 'Blue sports t-shirt' }],
      shippingAddress: { line1: '32 Windsor Gardens', streetNumber: '24', city: 'London', postalCode: 'W9 3RG', country: 'GB' },
    };
    const customer = {
      ...(base.customer as Record<string, unknown>),
      device: 'MOBILE',
      address: { line1: 'Rua Augusta', streetNumber: '100', city: 'Sao Paulo', postalCode: '01304000', country: 'BR' },
    };
    const res = await merchant.api.post('/v1/deposits', { ...base, customer, order });
    expect(res.status).toBe(201);
    const options = (await kasha.get(`/_sandbox/requests?contains=${res.body.id}`)).body.data.find(
      (r: { path: string }) => r.path === '/kasha/v2/payment-options',
    );
    expect(options.body).toMatchObject({
      tax: '21%',
      orderDetails: [{ productName: 'shirt-1233474', quantity: 1, dimensions: '85x51', description: 'Blue sports t-shirt' }],
      shippingAddress: { street: '32 Windsor Gardens', streetNumber: '24', city: 'London', zipCode: 'W9 3RG', country: 'GB' },
      customer: { userDevice: 'MOBILE', address: { street: 'Rua Augusta', streetNumber: '100' } },
    });
    const bad = await merchant.api.post('/v1/deposits', { ...cardDeposit(1_000_000), order: { tax: 'lots' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('order.tax');
  });

  it("sends 3DS through Kasha's redirect; the notification triggers a status check that settles it", async () => {
    const merchant = await kashaMerchant();
    const res = await merchant.api.post('/v1/deposits', cardDeposit(30_000));
    expect(res.body).toMatchObject({ status: 'WAITING_INPUT', nextAction: { type: 'REDIRECT', method: 'GET' } });
    expect(res.body.nextAction.url).toMatch(new RegExp(`^${sandbox.url}/kasha/pay/`));
    const page = await fetch(res.body.nextAction.url);
    expect(await page.text()).toContain('3-D Secure');

    const answer = await customer(res.body.nextAction.url, 'success');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('https://m.example/ok');
    const tx = await until(res.body.id, (x) => x.status === 'SUCCESSFUL');
    expect(tx.nextAction).toBeNull();
    const history = await events(tx.id);
    expect(history.at(-1)).toMatchObject({ toStatus: 'SUCCESSFUL', source: 'status_check' });
    // The notification's inbox row is marked just after the status check it triggered commits.
    const inbox = await waitFor(
      async () => {
        const found = await t.db.getRepository(CallbackInboxEntity).findBy({ transactionId: tx.id });
        return found.length && found.every((r) => r.state !== 'received') ? found : null;
      },
      5000,
      'the notification to be marked in the inbox',
    );
    expect(inbox.map((r) => r.state)).toEqual(['applied']);
  });

  it('fails a 3DS the customer fails (3010) or abandons (3003) with 3DS_FAILED', async () => {
    const merchant = await kashaMerchant();
    for (const [result, code] of [
      ['fail', '3010'],
      ['abandon', '3003'],
    ] as const) {
      const res = await merchant.api.post('/v1/deposits', cardDeposit(30_000));
      await customer(res.body.nextAction.url, result);
      const tx = await until(res.body.id, (x) => x.status === 'FAILED');
      expect(tx.failure).toMatchObject({ code: '3DS_FAILED', providerCode: code });
    }
  });

  const DECLINES: Array<[code: number, failure: string]> = [
    [3000, 'INSUFFICIENT_FUNDS'],
    [3001, 'DECLINED_BY_ISSUER'],
    [3002, 'SUSPECTED_FRAUD'],
    [3003, '3DS_FAILED'],
    [3004, 'INVALID_CARD'],
    [3005, 'INVALID_CARD'],
    [3006, 'LIMIT_EXCEEDED'],
    [3007, 'INVALID_CARD'],
    [3008, 'INVALID_REQUEST'],
    [3009, 'INVALID_CARD'],
    [3010, '3DS_FAILED'],
    [3011, 'INVALID_CARD'],
    [3012, 'DECLINED_BY_ISSUER'],
    [3013, 'LIMIT_EXCEEDED'],
    [3014, 'LIMIT_EXCEEDED'],
    [3015, 'DECLINED_BY_ISSUER'],
    [3016, 'DECLINED_BY_ISSUER'],
    [3017, 'INVALID_REQUEST'],
    [3018, 'EXPIRED'],
    [3019, 'DECLINED_BY_PROVIDER'],
    [3020, 'AMOUNT_TOO_LOW'],
    [3021, 'METHOD_UNAVAILABLE'],
    [3022, 'SUSPECTED_FRAUD'],
    [3023, 'DECLINED_BY_ISSUER'],
    [3024, 'METHOD_UNAVAILABLE'],
    [3025, 'METHOD_UNAVAILABLE'],
    [3026, 'DECLINED_BY_ISSUER'],
    [994, 'SUSPECTED_FRAUD'],
    [998, 'PROVIDER_ERROR'],
    [999, 'DECLINED_BY_PROVIDER'],
    // Refused when the session is opened (payment-options), before any card data is sent.
    [1000, 'INVALID_REQUEST'],
    [1001, 'INVALID_REQUEST'],
    [1004, 'INVALID_REQUEST'],
    [1005, 'INVALID_REQUEST'],
    [1007, 'AMOUNT_TOO_LOW'],
    [1008, 'AMOUNT_TOO_HIGH'],
    [1009, 'INVALID_REQUEST'],
    [995, 'METHOD_UNAVAILABLE'],
    [996, 'METHOD_UNAVAILABLE'],
    [997, 'METHOD_UNAVAILABLE'],
  ];

  it('maps the decline code chosen by the amount onto the right failure code, for every card decline', async () => {
    // 40 payments at once in one process: on a loaded machine a call may take longer than the suite's 2 s.
    const merchant = await kashaMerchant({}, { timeoutMs: 15_000 });
    const seen = await Promise.all(DECLINES.map(async ([code]) => (await merchant.api.post('/v1/deposits', cardDeposit(code * 100))).body));
    seen.forEach((body, i) => {
      const [code, failure] = DECLINES[i];
      expect({ code, status: body.status, failure: body.failure?.code, providerCode: body.failure?.providerCode }).toEqual({
        code,
        status: 'FAILED',
        failure,
        providerCode: String(code),
      });
    });
    // Kasha notifies each decline as it answers; a notification overtaking the answer changes nothing on the way.
    const paths = await Promise.all(
      seen.map(async (body) => (await events(body.id)).filter((e) => e.kind === 'status_change').map((e) => `${e.fromStatus}>${e.toStatus}`)),
    );
    expect(paths.filter((p) => p.join(' ') !== 'null>REGISTERED REGISTERED>FAILED')).toEqual([]);
  });

  it('leaves "contact support" (1100), a timeout and a 5xx INCONSISTENT; a status check settles the timeout', async () => {
    const merchant = await kashaMerchant();
    const support = await merchant.api.post('/v1/deposits', cardDeposit(110_000));
    expect(support.body).toMatchObject({ status: 'INCONSISTENT', failure: { code: 'PROVIDER_ERROR', providerCode: '1100' } });
    const error500 = await merchant.api.post('/v1/deposits', cardDeposit(50_000));
    expect(error500.body).toMatchObject({ status: 'INCONSISTENT', failure: { code: 'PROVIDER_ERROR' } });

    // The simulator answers this one (a success) after 2.5 s, past the suite's 2 s provider timeout: INCONSISTENT
    // shows payhub stopped waiting at its timeout (a wall-clock bound here would only measure the machine's load).
    const slow = await merchant.api.post('/v1/deposits', cardDeposit(77_700));
    expect(slow.body).toMatchObject({ status: 'INCONSISTENT', failure: { code: 'PROVIDER_ERROR', providerMessage: 'no answer within 2000 ms' } });
    expect((await stored(slow.body.id)).providerTxId).toBeTruthy();
    // Kasha took it and notifies late; the notification's status check resolves it.
    const settled = await until(slow.body.id, (x) => x.status === 'SUCCESSFUL');
    // Settled is no failure: the unknown outcome's reason does not outlive it.
    expect(settled.failure).toBeNull();
  });

  describe("a notification delivered before Kasha's direct-payment answer (readings.notificationOrder beforeAnswer)", () => {
    beforeAll(() => kasha.post('/_sandbox/readings', { notificationOrder: 'beforeAnswer' }));
    afterAll(() => kasha.post('/_sandbox/readings', {}));

    it.each([
      ['000, taken', 1_000_000, 'SUCCESSFUL', null],
      ['3000, declined', 300_000, 'FAILED', 'INSUFFICIENT_FUNDS'],
    ])('%s: the answer settles it once, never INCONSISTENT on the way', async (_name, amount, status, failure) => {
      // Kasha answers only once payhub has answered its notification: on a loaded machine that can take over 2 s.
      const merchant = await kashaMerchant({}, { timeoutMs: 15_000 });
      const res = await merchant.api.post('/v1/deposits', cardDeposit(amount));
      expect(res.body).toMatchObject({ status, failure: failure ? { code: failure } : null });
      const tx = await stored(res.body.id);
      // The notification reached payhub, and its status check ran, before the answer did.
      expect((await sandboxTx(tx.providerTxId!)).notifications).toEqual([expect.objectContaining({ httpStatus: 200 })]);
      const inbox = await t.db.getRepository(CallbackInboxEntity).findBy({ transactionId: tx.id });
      expect(inbox.map((r) => r.state)).toEqual(['applied']);
      const history = await events(tx.id);
      expect(history.filter((e) => e.kind === 'status_change').map((e) => [e.fromStatus, e.toStatus, e.source])).toEqual([
        [null, 'REGISTERED', 'api'],
        ['REGISTERED', status, 'api'],
      ]);
      // The check is on the record as a look that changed nothing: payhub's own call was still open.
      expect(history).toContainEqual(
        expect.objectContaining({ kind: 'provider_exchange', fromStatus: 'REGISTERED', toStatus: 'REGISTERED', source: 'status_check' }),
      );
      // Applied once: one version step after creation, one webhook per status.
      expect(tx).toMatchObject({ status, version: 1 });
      const outbox = await t.db.getRepository(OutboxEntity).find({ where: { transactionId: tx.id }, order: { id: 'ASC' } });
      expect(outbox.map((o) => (o.payload as { transaction: { status: string } }).transaction.status)).toEqual(['REGISTERED', status]);
    });

    it('every card decline at once, each notified before its answer: FAILED with its code, never INCONSISTENT on the way', async () => {
      const merchant = await kashaMerchant({}, { timeoutMs: 15_000 });
      const cards = DECLINES.filter(([code]) => code >= 3000 || code === 994 || code === 998 || code === 999);
      const seen = await Promise.all(cards.map(async ([code]) => (await merchant.api.post('/v1/deposits', cardDeposit(code * 100))).body));
      expect(seen.map((b) => [b.status, b.failure?.code, b.failure?.providerCode])).toEqual(cards.map(([code, failure]) => ['FAILED', failure, String(code)]));
      const paths = await Promise.all(
        seen.map(async (body) => (await events(body.id)).filter((e) => e.kind === 'status_change').map((e) => `${e.fromStatus}>${e.toStatus}`)),
      );
      expect(paths.filter((p) => p.join(' ') !== 'null>REGISTERED REGISTERED>FAILED')).toEqual([]);
      const notified = await Promise.all(seen.map(async (b) => (await sandboxTx((await stored(b.id)).providerTxId!)).notifications.length));
      expect(notified.every((n) => n === 1)).toBe(true);
    });
  });

  it('says "not taken" when Kasha cannot be reached, so routing may fall back once', async () => {
    const closed = await freePort();
    const alone = await kashaMerchant({}, { baseUrl: `http://127.0.0.1:${closed}/kasha` });
    const failed = await alone.api.post('/v1/deposits', cardDeposit(1_000_000));
    expect(failed.body).toMatchObject({ status: 'FAILED', provider: 'kasha', failure: { code: 'PROVIDER_ERROR' } });

    const withFallback = await kashaMerchant({}, { baseUrl: `http://127.0.0.1:${closed}/kasha`, fallback: true });
    const res = await withFallback.api.post('/v1/deposits', cardDeposit(1_000_004));
    expect(res.body).toMatchObject({ status: 'SUCCESSFUL', provider: 'testpay' });
  });

  it('treats a refused API key as an unavailable account, using the configured header', async () => {
    const merchant = await kashaMerchant({ apiKey: 'kasha-refused-key', apiKeyHeader: 'Authorization' });
    const res = await merchant.api.post('/v1/deposits', cardDeposit(1_000_000));
    expect(res.body).toMatchObject({ status: 'FAILED', failure: { code: 'PROVIDER_ERROR', providerCode: '401' } });
    const seen = (await kasha.get(`/_sandbox/requests?contains=${res.body.id}`)).body.data;
    expect(seen[0].authHeaders).toEqual(['authorization']);
  });

  it('pays a bank transfer: suboptions (banks, form inputs) → direct-payment → the bank page → SUCCESSFUL', async () => {
    const merchant = await kashaMerchant();
    const res = await merchant.api.post('/v1/deposits', bankDeposit(250_000));
    expect(res.body).toMatchObject({ status: 'WAITING_INPUT', nextAction: { type: 'REDIRECT' } });
    const tx = await stored(res.body.id);
    expect(tx.providerData).toMatchObject({ flow: 'direct', optionId: 'b_101' });
    const direct = (await kasha.get(`/_sandbox/requests?contains=${tx.providerData!.sessionId}`)).body.data.find(
      (r: { path: string }) => r.path === '/kasha/v2/direct-payment',
    );
    expect(direct.body.extraData).toEqual({ document: '36570630563', phone: '+5511999999999' });
    await customer(res.body.nextAction.url, 'success');
    await until(tx.id, (x) => x.status === 'SUCCESSFUL');
  });

  it('checks the bank form inputs before posting: an invalid one fails the deposit and nothing is posted', async () => {
    const merchant = await kashaMerchant();
    const res = await merchant.api.post(
      '/v1/deposits',
      bankDeposit(250_000, { customer: { email: 'a@b.co', firstName: 'Maria', identify: { number: '123', type: 'BRA_CPF' } } }),
    );
    expect(res.body).toMatchObject({ status: 'FAILED', failure: { code: 'INVALID_REQUEST' } });
    expect(res.body.failure.providerMessage).toContain('document must be at least 8 characters');
    const tx = await stored(res.body.id);
    const posted = (await kasha.get(`/_sandbox/requests?contains=${tx.providerData!.sessionId}`)).body.data.map((r: { path: string }) => r.path);
    expect(posted).toEqual(['/kasha/v2/payment-suboptions']);

    const noBank = await merchant.api.post('/v1/deposits', bankDeposit(250_000, { bank: { name: 'Unknown bank' } }));
    expect(noBank.body.failure.providerMessage).toContain('b_101 (Banco Sandbox)');
  });

  describe('payment-suboptions encoding (the reference: multipart/form-data; the guide: JSON)', () => {
    afterEach(() => kasha.post('/_sandbox/readings', {}));
    const suboptionsRequest = async (txId: string) => {
      const tx = await stored(txId);
      return (await kasha.get(`/_sandbox/requests?contains=${tx.providerData!.sessionId}`)).body.data.find(
        (r: { path: string }) => r.path === '/kasha/v2/payment-suboptions',
      );
    };

    it('sends multipart/form-data by default, which the strict simulator requires', async () => {
      const merchant = await kashaMerchant();
      const res = await merchant.api.post('/v1/deposits', bankDeposit(250_000));
      expect(res.body.status).toBe('WAITING_INPUT');
      const sub = await suboptionsRequest(res.body.id);
      expect(sub.contentType).toMatch(/^multipart\/form-data; boundary=/);
      expect(sub.body).toEqual({ sessionId: (await stored(res.body.id)).providerData!.sessionId, paymentOptionId: expect.any(String) });
    });

    it("a JSON body is refused by the strict simulator, and accepted once it is switched to the guide's reading", async () => {
      const merchant = await kashaMerchant({ paymentSuboptionsEncoding: 'json' });
      const refused = await merchant.api.post('/v1/deposits', bankDeposit(250_000));
      expect(refused.body.status).toBe('FAILED');
      await kasha.post('/_sandbox/readings', { paymentSuboptionsEncoding: 'json' });
      const res = await merchant.api.post('/v1/deposits', bankDeposit(250_000));
      expect(res.body.status).toBe('WAITING_INPUT');
      expect((await suboptionsRequest(res.body.id)).contentType).toBe('application/json');
    });

    it('payout-suboptions stay JSON whatever the payment setting is (a separate setting)', async () => {
      const merchant = await kashaMerchant({ paymentSuboptionsEncoding: 'multipart' });
      const account = await t.app.get(ProviderConfigService).resolveAccount(merchant.id, 'kasha', 'DEFAULT');
      expect(account.settings.payoutSuboptionsEncoding ?? 'json').toBe('json');
    });
  });

  it('a bank transfer answered 000 with only its initial status is not SUCCESSFUL: the customer still has to pay', async () => {
    await kasha.post('/_sandbox/readings', { bankDirectPaymentAnswer: 'initial_status' });
    try {
      const merchant = await kashaMerchant();
      const res = await merchant.api.post('/v1/deposits', bankDeposit(250_000));
      expect(res.body).toMatchObject({ status: 'WAITING_INPUT', nextAction: { type: 'REDIRECT' } });
      await customer(res.body.nextAction.url, 'success');
      await until(res.body.id, (x) => x.status === 'SUCCESSFUL');
    } finally {
      await kasha.post('/_sandbox/readings', {});
    }
  });

  it.each(['authorization', 'api-key', 'apikey'])(
    'the API key goes in the configured header; a simulator reading %s refuses x-api-key (401, not taken)',
    async (apiKeyHeader) => {
      await kasha.post('/_sandbox/readings', { apiKeyHeader });
      try {
        const wrongHeader = await kashaMerchant();
        expect((await wrongHeader.api.post('/v1/deposits', cardDeposit(1_000_000))).body).toMatchObject({
          status: 'FAILED',
          failure: { code: 'PROVIDER_ERROR', providerCode: '401' },
        });
        const merchant = await kashaMerchant({ apiKeyHeader });
        const res = await merchant.api.post('/v1/deposits', cardDeposit(1_000_000));
        expect(res.body.status).toBe('SUCCESSFUL');
        const seen = (await kasha.get(`/_sandbox/requests?contains=${res.body.id}`)).body.data;
        expect(seen[0].authHeaders).toEqual([apiKeyHeader]);
      } finally {
        await kasha.post('/_sandbox/readings', {});
      }
    },
  );

  it.each(['redirectUrl', 'url', 'link', 'paymentUrl'])('reads the customer link whichever field Kasha names it (%s)', async (linkField) => {
    await kasha.post('/_sandbox/readings', { linkField });
    try {
      const merchant = await kashaMerchant();
      const res = await merchant.api.post('/v1/deposits', cardDeposit(30_000));
      expect(res.body).toMatchObject({ status: 'WAITING_INPUT', nextAction: { type: 'REDIRECT', url: expect.stringContaining('/kasha/pay/') } });
    } finally {
      await kasha.post('/_sandbox/readings', {});
    }
  });

  describe('readings the documents leave open, switched per test', () => {
    afterEach(() => kasha.post('/_sandbox/readings', {}));

    it.each(['json', 'wrapped', 'form', 'bare'])('a notification body read as %s settles the deposit through its status check', async (notificationBody) => {
      await kasha.post('/_sandbox/readings', { notificationBody });
      const merchant = await kashaMerchant();
      const res = await merchant.api.post('/v1/deposits', cardDeposit(30_000));
      expect(res.body.status).toBe('WAITING_INPUT');
      const answer = await customer(res.body.nextAction.url, 'success');
      expect(answer.headers.get('x-kasha-notification-status')).toBe('200');
      const tx = await until(res.body.id, (x) => x.status === 'SUCCESSFUL');
      expect((await events(tx.id)).at(-1)).toMatchObject({ toStatus: 'SUCCESSFUL', source: 'status_check' });
      const inbox = await t.db.getRepository(CallbackInboxEntity).findBy({ transactionId: tx.id });
      expect(inbox.map((r) => r.contentType)).toEqual([notificationBody === 'form' ? 'application/x-www-form-urlencoded' : 'application/json']);
    });

    it("other paths for what the reference does not name: an account naming them works, one on payhub's defaults is refused", async () => {
      await kasha.post('/_sandbox/readings', { paths: KASHA_OTHER_PATHS });
      const wrong = await kashaMerchant();
      const refused = await wrong.api.post('/v1/deposits', bankDeposit(120_000, { service: 'HOSTED_CASHIER', bank: undefined }));
      expect(refused.body).toMatchObject({ status: 'FAILED', failure: { providerCode: '404' } });

      const merchant = await kashaMerchant({ paths: KASHA_OTHER_PATHS });
      const hosted = await merchant.api.post('/v1/deposits', bankDeposit(120_000, { service: 'HOSTED_CASHIER', bank: undefined }));
      expect(hosted.body).toMatchObject({ status: 'WAITING_INPUT', nextAction: { type: 'REDIRECT' } });
      const hybrid = await merchant.api.post('/v1/deposits', cardDeposit(1_000_000, { service: 'HYBRID_LINK' }));
      expect(hybrid.body).toMatchObject({ status: 'WAITING_INPUT', nextAction: { type: 'REDIRECT' } });
      const paid = (await merchant.api.post('/v1/deposits', cardDeposit(1_000_000))).body;
      expect(paid.status).toBe('SUCCESSFUL');
      expect((await t.app.get(CheckStatusUseCase).check(paid.id)).tx.status).toBe('SUCCESSFUL');
      const refund = await merchant.api.post(`/v1/transactions/${paid.id}/refunds`, { merchantRefundId: `r-${paid.id}` });
      expect(refund.body).toMatchObject({ status: 'SUCCESSFUL', txType: 'Refund' });
      // Those paths are this test's alone in the simulator's log.
      const seen = ((await kasha.get('/_sandbox/requests')).body.data as Array<{ path: string }>).map((r) => r.path);
      expect(seen).toEqual(expect.arrayContaining(['/kasha/v2/hosted-cashier', '/kasha/v2/hybrid-payment-link', '/kasha/v2/refund-by-reference']));
      const kashaId = (await stored(paid.id)).providerTxId!;
      const status = (await kasha.get(`/_sandbox/requests?contains=${kashaId}`)).body.data.map((r: { path: string }) => r.path);
      expect(status).toContain(`/kasha/v2/transaction/${kashaId}/status`);
    });
  });

  it('a bank deposit without customer.identify is a 400 naming the fields, and nothing is stored', async () => {
    const merchant = await kashaMerchant();
    const body = bankDeposit(250_000);
    const res = await merchant.api.post('/v1/deposits', { ...body, customer: { email: 'maria@example.com', firstName: 'Maria' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['customer.identify.number', 'customer.identify.type']);
    expect(await t.db.getRepository(TransactionEntity).countBy({ merchantId: merchant.id })).toBe(0);
  });

  it('gives a hosted cashier link when the request asks (service HOSTED_CASHIER): one payment per 30-minute session', async () => {
    const merchant = await kashaMerchant();
    const before = Date.now();
    const res = await merchant.api.post('/v1/deposits', bankDeposit(120_000, { service: 'HOSTED_CASHIER', bank: undefined }));
    expect(res.body).toMatchObject({ status: 'WAITING_INPUT', nextAction: { type: 'REDIRECT', method: 'GET' } });
    expect(res.body.nextAction.url).toMatch(new RegExp(`^${sandbox.url}/kasha/cashier/`));
    const tx = await stored(res.body.id);
    const expiresAt = Date.parse(String(tx.providerData!.sessionExpiresAt));
    expect(expiresAt - before).toBeGreaterThanOrEqual(30 * 60 * 1000 - 1000);
    expect(expiresAt - before).toBeLessThanOrEqual(30 * 60 * 1000 + 5000);

    expect((await customer(res.body.nextAction.url, 'success')).status).toBe(303);
    await until(tx.id, (x) => x.status === 'SUCCESSFUL');
    expect((await customer(res.body.nextAction.url, 'success')).status).toBe(409);
  });

  it('sends storedToken to the hosted cashier only when the account names its source (storedTokenSource: userId)', async () => {
    const plain = await kashaMerchant();
    const withToken = await kashaMerchant({ storedTokenSource: 'userId' });
    const hostedBody = async (merchant: TestMerchant) => {
      const res = await merchant.api.post('/v1/deposits', bankDeposit(120_000, { service: 'HOSTED_CASHIER', bank: undefined }));
      expect(res.body.status).toBe('WAITING_INPUT');
      return (await kasha.get(`/_sandbox/requests?contains=${res.body.id}`)).body.data.find((r: { path: string }) => r.path === '/kasha/v2/hosted-payment')
        .body;
    };
    expect(await hostedBody(plain)).not.toHaveProperty('storedToken');
    expect(await hostedBody(withToken)).toMatchObject({ storedToken: 'user-7' });
  });

  it('gives a hybrid link when the account is configured for it: the option preselected, checkout at Kasha', async () => {
    const merchant = await kashaMerchant({ depositFlow: 'hybrid' });
    const res = await merchant.api.post('/v1/deposits', cardDeposit(1_000_000));
    expect(res.body).toMatchObject({ status: 'WAITING_INPUT', nextAction: { type: 'REDIRECT' } });
    const tx = await stored(res.body.id);
    const paths = (await kasha.get(`/_sandbox/requests?contains=${tx.providerData!.sessionId}`)).body.data.map((r: { path: string }) => r.path);
    expect(paths).toEqual(['/kasha/v2/hybrid-payment']);
    await customer(res.body.nextAction.url, 'fail');
    const failed = await until(tx.id, (x) => x.status === 'FAILED');
    expect(failed.failure).toMatchObject({ code: 'DECLINED_BY_ISSUER', providerCode: '3001' });
  });

  it('past its session a deposit Kasha still holds PENDING is PROCESSING, never FAILED: a started transfer may still land', async () => {
    const merchant = await kashaMerchant({ sessionLifetimeSeconds: 1 });
    const res = await merchant.api.post('/v1/deposits', bankDeposit(250_000));
    expect(res.body.status).toBe('WAITING_INPUT');
    const early = await t.app.get(CheckStatusUseCase).check(res.body.id);
    expect(early.tx.status).toBe('WAITING_INPUT');
    await new Promise((r) => setTimeout(r, 1100));
    const late = await t.app.get(CheckStatusUseCase).check(res.body.id);
    expect(late.tx.status).toBe('PROCESSING');
    // The transfer completes after the session: the merchant hears SUCCESSFUL, not a conflict after FAILED.
    await customer(res.body.nextAction.url, 'success');
    const done = await until(res.body.id, (x) => x.status === 'SUCCESSFUL');
    expect(done.conflict).toBeNull();
  });

  it('pendingAfterSessionExpiry=expire (the other reading) ends an expired PENDING session FAILED/EXPIRED', async () => {
    const merchant = await kashaMerchant({ sessionLifetimeSeconds: 1, pendingAfterSessionExpiry: 'expire' });
    const res = await merchant.api.post('/v1/deposits', bankDeposit(120_000, { service: 'hosted_cashier', bank: undefined }));
    await new Promise((r) => setTimeout(r, 1100));
    const late = await t.app.get(CheckStatusUseCase).check(res.body.id);
    expect(late.tx).toMatchObject({ status: 'FAILED', failure: { code: 'EXPIRED' } });
  });

  it('never trusts a notification: a forged "COMPLETED" for a pending deposit changes nothing', async () => {
    const merchant = await kashaMerchant();
    const res = await merchant.api.post('/v1/deposits', cardDeposit(30_000));
    const tx = await stored(res.body.id);
    const forged = { transactionId: tx.providerTxId, merchantReference: tx.id, status: 'COMPLETED', statusCode: '000' };
    for (const path of ['/callbacks/kasha', `/callbacks/kasha/${tx.id}`]) {
      const answer = await t.http.post(path, forged);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ status: 'ok' });
    }
    expect((await stored(tx.id)).status).toBe('WAITING_INPUT');
    const inbox = await t.db.getRepository(CallbackInboxEntity).find({ where: { transactionId: tx.id }, order: { receivedAt: 'ASC' } });
    // The same body twice is one status check; the per-transaction URL is a new request and checks again.
    expect(inbox.map((r) => r.state)).toEqual(['applied', 'duplicate']);
    expect((await events(tx.id)).filter((e) => e.source === 'status_check').every((e) => e.toStatus === 'WAITING_INPUT')).toBe(true);

    const stranger = await t.http.post('/callbacks/kasha', { merchantReference: 'tx_01ARZ3NDEKTSV4RRFFQ69G5FAV', status: 'COMPLETED' });
    expect(stranger.status).toBe(400);
    expect((await t.http.post('/callbacks/kasha', { status: 'COMPLETED' })).status).toBe(400);
  });

  it('refunds a successful deposit in full by merchant reference, and refuses a partial refund', async () => {
    const merchant = await kashaMerchant();
    const paid = (await merchant.api.post('/v1/deposits', cardDeposit(1_000_000))).body;
    // Refused before anything is stored (issue 15): no FAILED child, and the merchantRefundId stays free.
    const partial = await merchant.api.post(`/v1/transactions/${paid.id}/refunds`, { amount: 500_000, merchantRefundId: `r-${paid.id}-half` });
    expect(partial.status).toBe(422);
    expect(partial.body.error).toMatchObject({ code: 'OPERATION_NOT_SUPPORTED' });
    expect(await t.db.getRepository(TransactionEntity).countBy({ parentId: paid.id })).toBe(0);

    const refund = await merchant.api.post(`/v1/transactions/${paid.id}/refunds`, { merchantRefundId: `r-${paid.id}-half` });
    expect(refund.body).toMatchObject({ status: 'SUCCESSFUL', txType: 'Refund', amount: 1_000_000 });
    expect((await stored(paid.id)).refundedAmount).toBe(1_000_000n);
    const parentAtKasha = await sandboxTx((await stored(paid.id)).providerTxId!);
    expect(parentAtKasha.status).toBe('REFUNDED');
    const sent = (await kasha.get(`/_sandbox/requests?contains=${paid.id}`)).body.data.find((r: { path: string }) => r.path === '/kasha/v2/refund');
    expect(sent.body).toEqual({ merchantReference: paid.id });
    // The refund's status check reads the refunded transaction at Kasha.
    expect((await t.app.get(CheckStatusUseCase).check(refund.body.id)).tx.status).toBe('SUCCESSFUL');

    const again = await merchant.api.post(`/v1/transactions/${paid.id}/refunds`, { merchantRefundId: `r-${paid.id}-again` });
    expect(again.status).toBe(422);
  });
});
