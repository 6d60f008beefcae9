import { AuditLogEntity } from '@payhub/backoffice';
import { ProviderConfigService } from '@payhub/provider-config';
import type { RoutingRuleDto } from '@payhub/routing';
import { TransactionEntity } from '@payhub/transactions';
import type { HttpClient } from './support/http-client';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { TEST_PROVIDER, TEST_PROVIDER_B, TestPayProvider } from './support/test-provider';

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
const MASTERCARD = '5555555555554444';

function rule(
  name: string,
  when: Record<string, unknown>,
  targets: Array<[string, number]>,
  fallback: string[] = [],
  overrides: Partial<RoutingRuleDto> = {},
): RoutingRuleDto {
  return {
    name,
    priority: 10,
    enabled: true,
    when,
    then: {
      targets: targets.map(([provider, weight]) => ({ provider, account: 'DEFAULT', weight })),
      fallback: fallback.map((provider) => ({ provider, account: 'DEFAULT' })),
    },
    ...overrides,
  } as RoutingRuleDto;
}

describe('routing over HTTP', () => {
  let t: TestApp;
  let admin: HttpClient;
  let testpayB: TestPayProvider;
  const rulesPath = (id: string) => `/backoffice/merchants/${id}/routing/rules`;
  const explainPath = (id: string) => `/backoffice/merchants/${id}/routing/explain`;
  const threeDsPath = (id: string) => `/backoffice/merchants/${id}/three-ds-routing`;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = (await t.newStaff(['admin'])).bo;
    testpayB = t.app.get<TestPayProvider>('TESTPAY_B');
  });
  afterAll(() => t.close());

  /** A merchant with both test providers configured and no rules yet. */
  async function merchantWithProviders(): Promise<TestMerchant> {
    const m = await t.newMerchant();
    await t.routeAllTo(m.id, [], [TEST_PROVIDER, TEST_PROVIDER_B]);
    return m;
  }
  const transactionsOf = (merchantId: string) => t.db.getRepository(TransactionEntity).findBy({ merchantId });
  const callsFor = (txId: string) => [...t.testProvider.calls, ...testpayB.calls].filter((c) => c.request.txId === txId);

  describe('rules', () => {
    it('replaces the whole list and reads it back in order, audited', async () => {
      const m = await merchantWithProviders();
      const first = await admin.put(rulesPath(m.id), {
        rules: [
          rule(
            'UAH cards',
            { txTypes: ['CreditcardDeposit'], currencies: ['UAH'], cardBrands: ['VISA', 'MASTERCARD'], amountMin: 100, amountMax: 10000000 },
            [[TEST_PROVIDER, 100]],
            [TEST_PROVIDER_B],
          ),
          rule('rest', {}, [[TEST_PROVIDER_B, 100]], [], { priority: 20 }),
        ],
      });
      expect(first.status).toBe(200);
      expect(first.body.data.map((r: { name: string }) => r.name)).toEqual(['UAH cards', 'rest']);
      expect(first.body).toMatchObject({ hasMore: false, nextCursor: null });
      expect(first.body.data[0]).toMatchObject({
        id: expect.stringMatching(/^rr_/),
        priority: 10,
        enabled: true,
        when: { txTypes: ['CreditcardDeposit'], currencies: ['UAH'], cardBrands: ['VISA', 'MASTERCARD'], amountMin: 100, amountMax: 10000000 },
        then: { targets: [{ provider: TEST_PROVIDER, account: 'DEFAULT', weight: 100 }], fallback: [{ provider: TEST_PROVIDER_B, account: 'DEFAULT' }] },
      });
      expect((await admin.get(rulesPath(m.id))).body).toEqual(first.body);

      const second = await admin.put(rulesPath(m.id), { rules: [rule('only', { currencies: ['EUR'] }, [[TEST_PROVIDER, 1]])] });
      expect(second.status).toBe(200);
      const read = await admin.get(rulesPath(m.id));
      expect(read.body.data.map((r: { name: string }) => r.name)).toEqual(['only']);

      const audit = await t.db.getRepository(AuditLogEntity).find({ where: { targetId: m.id, action: 'routing.rules.replace' }, order: { id: 'ASC' } });
      expect(audit).toHaveLength(2);
      expect(audit[1].before).toEqual({ rules: first.body.data });
      expect(audit[1].after).toEqual({ rules: read.body.data });
      expect(audit[1].requestId).toBe(second.headers.get('x-request-id'));
    });

    it('refuses invalid rules naming each field, and unknown providers, changing nothing', async () => {
      const m = await merchantWithProviders();
      await admin.put(rulesPath(m.id), { rules: [rule('keep', {}, [[TEST_PROVIDER, 1]])] });
      const bad = await admin.put(rulesPath(m.id), {
        rules: [rule('bad', { currencies: ['uah'], amountMin: 500, amountMax: 100, cardBrands: ['VISAA'], colour: 'red' }, [])],
      });
      expect(bad.status).toBe(400);
      const fields = bad.body.error.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'rules[0].when.currencies',
          'rules[0].when.amountMax',
          'rules[0].when.cardBrands',
          'rules[0].when.colour',
          'rules[0].then.targets',
        ]),
      );

      const unknown = await admin.put(rulesPath(m.id), { rules: [rule('typo', {}, [[TEST_PROVIDER, 1]], ['interkasa'])] });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details).toEqual([{ field: 'rules[0].then.fallback[0].provider', issue: expect.stringContaining('not a known provider') }]);

      expect((await admin.get(rulesPath(m.id))).body.data.map((r: { name: string }) => r.name)).toEqual(['keep']);
    });

    it('answers 404 for an unknown merchant', async () => {
      const res = await admin.put(rulesPath('mer_00000000000000000000000000'), { rules: [] });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('MERCHANT_NOT_FOUND');
    });
  });

  describe('concurrent changes', () => {
    it('replaces the rules of many merchants at once, and of one merchant from many admins, without errors', async () => {
      const rule = (name: string) => ({
        name,
        priority: 10,
        enabled: true,
        when: {},
        then: { targets: [{ provider: 'testpay', account: 'DEFAULT', weight: 100 }], fallback: [] },
      });
      const merchants = await Promise.all(Array.from({ length: 10 }, () => t.newMerchant()));
      const across = await Promise.all(merchants.map((m, i) => admin.put(rulesPath(m.id), { rules: [rule(`r-${i}`), rule(`s-${i}`)] })));
      expect(across.map((r) => r.status)).toEqual(Array(10).fill(200));

      const one = merchants[0];
      const same = await Promise.all(Array.from({ length: 10 }, (_, i) => admin.put(rulesPath(one.id), { rules: [rule(`winner-${i}`)] })));
      expect(same.map((r) => r.status)).toEqual(Array(10).fill(200));
      // Each PUT replaced the whole list: exactly one of them is left, never a mix.
      const after = await admin.get(rulesPath(one.id));
      expect(after.body.data).toHaveLength(1);
      expect(after.body.data[0].name).toMatch(/^winner-\d$/);
    });
  });

  describe('explain', () => {
    it('says which rule routes a sample payment and why, per rule, with the 3DS decision, creating nothing', async () => {
      const m = await merchantWithProviders();
      await admin.put(rulesPath(m.id), {
        rules: [
          rule('disabled', {}, [[TEST_PROVIDER_B, 1]], [], { enabled: false, priority: 1 }),
          rule('UAH visa', { currencies: ['UAH'], cardBrands: ['VISA'] }, [[TEST_PROVIDER, 100]], [TEST_PROVIDER_B]),
          rule('rest', {}, [[TEST_PROVIDER_B, 100]], [], { priority: 20 }),
        ],
      });
      await admin.put(threeDsPath(m.id), { enabled: true, mode: 'required_3ds_v2' });

      const visa = await admin.post(explainPath(m.id), {
        txType: 'CreditcardDeposit',
        amount: 150000,
        currency: 'UAH',
        country: 'UA',
        cardNumber: '4111111111111111',
      });
      expect(visa.status).toBe(200);
      expect(visa.body.payment).toMatchObject({ txType: 'CreditcardDeposit', amount: 150000, currency: 'UAH', cardBrand: 'VISA', bin: '41111111' });
      expect(visa.body.decision).toMatchObject({
        ruleName: 'UAH visa',
        target: { provider: TEST_PROVIDER, account: 'DEFAULT' },
        fallback: [{ provider: TEST_PROVIDER_B, account: 'DEFAULT' }],
      });
      expect(visa.body.decision.reason).toContain("rule 'UAH visa' (priority 10) matched: currency UAH, brand VISA");
      expect(visa.body.rules).toEqual([
        expect.objectContaining({ ruleName: 'disabled', selected: false, failedCondition: 'enabled' }),
        expect.objectContaining({ ruleName: 'UAH visa', selected: true, matched: true }),
        expect.objectContaining({
          ruleName: 'rest',
          selected: false,
          matched: true,
          reason: expect.stringContaining("rule 'UAH visa' (priority 10) comes first"),
        }),
      ]);
      expect(visa.body.threeDs).toEqual({ enabled: true, mode: 'required_3ds_v2' });
      expect(visa.body.error).toBeNull();
      expect(visa.text).not.toContain('4111111111111111');

      const mc = await admin.post(explainPath(m.id), { txType: 'CreditcardDeposit', amount: 150000, currency: 'UAH', cardBrand: 'MASTERCARD' });
      expect(mc.body.decision.ruleName).toBe('rest');
      expect(mc.body.rules[1]).toMatchObject({
        ruleName: 'UAH visa',
        matched: false,
        failedCondition: 'cardBrands',
        reason: 'brand MASTERCARD is not one of VISA',
      });

      const bin = await admin.post(explainPath(m.id), { txType: 'CreditcardDeposit', amount: 100, currency: 'UAH', bin: '411111' });
      expect(bin.body.payment.cardBrand).toBe('VISA');
      expect(bin.body.decision.ruleName).toBe('UAH visa');

      expect(await transactionsOf(m.id)).toHaveLength(0);
      expect(await t.db.getRepository(AuditLogEntity).countBy({ targetId: m.id, action: 'routing.explain' })).toBe(0);
    });

    it('reports no match as an answer, and refuses a bad sample', async () => {
      const m = await merchantWithProviders();
      await admin.put(rulesPath(m.id), { rules: [rule('EUR', { currencies: ['EUR'] }, [[TEST_PROVIDER, 1]])] });
      const none = await admin.post(explainPath(m.id), { txType: 'WalletDeposit', service: 'UPI', amount: 5000, currency: 'INR' });
      expect(none.status).toBe(200);
      expect(none.body).toMatchObject({ decision: null, threeDs: null, error: { code: 'ROUTING_NO_MATCH' } });

      const luhn = await admin.post(explainPath(m.id), { txType: 'CreditcardDeposit', amount: 5000, currency: 'EUR', cardNumber: '4111111111111112' });
      expect(luhn.status).toBe(400);
      expect(luhn.body.error.details).toEqual([{ field: 'cardNumber', issue: 'fails the Luhn check' }]);
      const both = await admin.post(explainPath(m.id), {
        txType: 'CreditcardDeposit',
        amount: 5000,
        currency: 'EUR',
        cardNumber: '4111111111111111',
        cardBrand: 'VISA',
      });
      expect(both.status).toBe(400);
      const unknown = await admin.post(explainPath(m.id), { txType: 'Teleport', amount: -1, currency: 'XXX', extra: true });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['txType', 'amount', 'currency', 'extra']));
    });
  });

  describe('draft explain', () => {
    const draftPath = (id: string) => `/backoffice/merchants/${id}/routing/explain-draft`;

    it('explains against the rules in the body, not the stored ones, and stores nothing', async () => {
      const m = await merchantWithProviders();
      await admin.put(rulesPath(m.id), { rules: [rule('stored', {}, [[TEST_PROVIDER_B, 1]])] });
      await admin.put(threeDsPath(m.id), { enabled: true, mode: 'only_3ds' });
      const before = (await admin.get(rulesPath(m.id))).body.data;
      const audits = await t.db.getRepository(AuditLogEntity).countBy({ targetId: m.id });

      const draft = await admin.post(draftPath(m.id), {
        rules: [
          rule(
            'big UAH',
            { currencies: ['UAH'], amountMin: 100000 },
            [
              [TEST_PROVIDER, 60],
              [TEST_PROVIDER_B, 40],
            ],
            [TEST_PROVIDER_B],
          ),
          rule('rest', {}, [[TEST_PROVIDER_B, 100]], [], { priority: 20, enabled: false }),
        ],
        payment: { txType: 'CreditcardDeposit', amount: 150000, currency: 'UAH', cardBrand: 'VISA', txId: 'tx_draft_1' },
      });
      expect(draft.status).toBe(200);
      expect(draft.body.decision).toMatchObject({ ruleId: 'draft-0', ruleName: 'big UAH' });
      expect(draft.body.rules).toEqual([
        expect.objectContaining({ ruleName: 'big UAH', selected: true, reason: expect.stringContaining('currency UAH') }),
        expect.objectContaining({ ruleName: 'rest', selected: false, failedCondition: 'enabled' }),
      ]);
      expect(draft.body.threeDs).toEqual({ enabled: true, mode: 'only_3ds' });

      const small = await admin.post(draftPath(m.id), {
        rules: [rule('big UAH', { currencies: ['UAH'], amountMin: 100000 }, [[TEST_PROVIDER, 1]])],
        payment: { txType: 'CreditcardDeposit', amount: 500, currency: 'UAH' },
      });
      expect(small.body).toMatchObject({ decision: null, error: { code: 'ROUTING_NO_MATCH' } });
      expect(small.body.rules[0]).toMatchObject({ failedCondition: 'amountMin' });

      expect((await admin.get(rulesPath(m.id))).body.data).toEqual(before);
      expect(await t.db.getRepository(AuditLogEntity).countBy({ targetId: m.id })).toBe(audits);
      expect(await transactionsOf(m.id)).toHaveLength(0);
    });

    it('refuses invalid draft rules and samples at the fields a PUT would name', async () => {
      const m = await merchantWithProviders();
      const bad = await admin.post(draftPath(m.id), {
        rules: [rule('x', { currencies: ['uah'], amountMin: 10, amountMax: 5 }, [[TEST_PROVIDER, 0]]), rule('y', {}, [['nosuch', 1]])],
        payment: { txType: 'CreditcardDeposit', amount: 100, currency: 'UAH' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['rules[0].when.currencies', 'rules[0].when.amountMax', 'rules[0].then.targets[0].weight']),
      );
      const unknown = await admin.post(draftPath(m.id), {
        rules: [rule('y', {}, [['nosuch', 1]])],
        payment: { txType: 'CreditcardDeposit', amount: 100, currency: 'UAH' },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details).toEqual([expect.objectContaining({ field: 'rules[0].then.targets[0].provider' })]);
      const luhn = await admin.post(draftPath(m.id), {
        rules: [],
        payment: { txType: 'CreditcardDeposit', amount: 100, currency: 'UAH', cardNumber: '4111111111111112' },
      });
      expect(luhn.status).toBe(400);
      expect(luhn.body.error.details).toEqual([{ field: 'payment.cardNumber', issue: 'fails the Luhn check' }]);
      const missing = await admin.post(draftPath(m.id), { rules: [] });
      expect(missing.status).toBe(400);
      expect(missing.body.error.details.map((d: { field: string }) => d.field)).toContain('payment');
      expect((await admin.post(draftPath('mer_nosuch'), { rules: [], payment: { txType: 'CreditcardDeposit', amount: 1, currency: 'UAH' } })).status).toBe(404);
    });
  });

  describe('3DS routing', () => {
    it('reads and sets the merchant setting, audited', async () => {
      const m = await merchantWithProviders();
      expect((await admin.get(threeDsPath(m.id))).body).toEqual({ enabled: false, mode: 'off' });
      const put = await admin.put(threeDsPath(m.id), { enabled: true, mode: 'required_3ds_v2' });
      expect(put.status).toBe(200);
      expect(put.body).toEqual({ enabled: true, mode: 'required_3ds_v2' });
      expect((await admin.get(threeDsPath(m.id))).body).toEqual({ enabled: true, mode: 'required_3ds_v2' });
      expect((await admin.put(threeDsPath(m.id), { enabled: true, mode: 'always' })).status).toBe(400);
      const audit = await t.db.getRepository(AuditLogEntity).findOneByOrFail({ targetId: m.id, action: 'routing.three_ds.update' });
      expect(audit).toMatchObject({ before: { enabled: false, mode: 'off' }, after: { enabled: true, mode: 'required_3ds_v2' } });
    });

    it('with required_3ds_v2 refuses a card deposit without browser data, writing nothing, and hands the decision to the adapter', async () => {
      const m = await merchantWithProviders();
      await admin.put(rulesPath(m.id), { rules: [rule('all', {}, [[TEST_PROVIDER, 1]])] });
      await admin.put(threeDsPath(m.id), { enabled: true, mode: 'required_3ds_v2' });

      const without = await m.api.post('/v1/deposits', deposit());
      expect(without.status).toBe(400);
      expect(without.body.error.details[0]).toEqual({ field: 'browser', issue: expect.stringContaining('required_3ds_v2') });
      expect(without.body.error.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['browser.acceptHeader', 'browser.userAgent', 'browser.ip', 'browser.javaScriptEnabled']),
      );

      const partial = await m.api.post('/v1/deposits', deposit({ browser: { userAgent: 'Mozilla/5.0', language: 'en-US' } }));
      expect(partial.status).toBe(400);
      expect(partial.body.error.details.map((d: { field: string }) => d.field)).toEqual([
        'browser.acceptHeader',
        'browser.colorDepth',
        'browser.screenHeight',
        'browser.screenWidth',
        'browser.timeZoneOffset',
        'browser.javaEnabled',
        'browser.javaScriptEnabled',
        'browser.ip',
      ]);
      expect(await transactionsOf(m.id)).toHaveLength(0);

      const ok = await m.api.post('/v1/deposits', deposit({ browser: BROWSER }));
      expect(ok.status).toBe(201);
      const [call] = callsFor(ok.body.id);
      expect(call.request.routing.threeDs).toEqual({ enabled: true, mode: 'required_3ds_v2' });
      expect(call.request.browser).toEqual(BROWSER);

      // Wallet payments are not asked for a browser.
      const upi = await m.api.post(
        '/v1/deposits',
        deposit({ txType: 'WalletDeposit', service: 'UPI', currency: 'INR', card: undefined, wallet: { account: 'user@upi' } }),
      );
      expect(upi.status).toBe(201);
    });
  });

  describe('routed deposits', () => {
    it('store the rule id and the reason', async () => {
      const m = await merchantWithProviders();
      const rules = await admin.put(rulesPath(m.id), {
        rules: [
          rule('EUR', { currencies: ['EUR'] }, [[TEST_PROVIDER_B, 1]]),
          rule('UAH cards', { currencies: ['UAH'], cardBrands: ['VISA'] }, [[TEST_PROVIDER, 1]]),
        ],
      });
      const res = await m.api.post('/v1/deposits', deposit());
      expect(res.status).toBe(201);
      expect(res.body.provider).toBe(TEST_PROVIDER);
      const tx = await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: res.body.id });
      expect(tx.routingRuleId).toBe(rules.body.data[1].id);
      expect(tx.routingReason).toContain("rule 'UAH cards' (priority 10) matched: currency UAH, brand VISA; picked testpay/DEFAULT by weight 1/1");
    });

    it('split 70/30 by weight over 200 real deposits', async () => {
      const m = await merchantWithProviders();
      await admin.put(rulesPath(m.id), {
        rules: [
          rule('split', {}, [
            [TEST_PROVIDER, 70],
            [TEST_PROVIDER_B, 30],
          ]),
        ],
      });
      const providers: string[] = [];
      for (let batch = 0; batch < 10; batch++) {
        const results = await Promise.all(Array.from({ length: 20 }, () => m.api.post('/v1/deposits', deposit({ amount: 150000 }))));
        for (const r of results) {
          expect(r.status).toBe(201);
          providers.push(r.body.provider);
        }
      }
      const share = providers.filter((p) => p === TEST_PROVIDER).length / providers.length;
      // 200 draws at p = 0.7: one standard deviation is 3.2 points; ±12 points is beyond 3.5 sigma.
      expect(share).toBeGreaterThan(0.58);
      expect(share).toBeLessThan(0.82);
      expect(new Set(providers)).toEqual(new Set([TEST_PROVIDER, TEST_PROVIDER_B]));
    });

    it('fall back once when the target certainly did not take the payment, and never after a decline', async () => {
      const m = await merchantWithProviders();
      // A second testpay account gives the rule a second fallback that must never be tried.
      await t.app
        .get(ProviderConfigService)
        .put(m.id, TEST_PROVIDER, { enabled: true, baseUrls: {}, accounts: { DEFAULT: { apiKey: 'k-123456' }, OTHER: { apiKey: 'k-654321' } } }, 'test');
      const fallbackRule = rule('with fallback', {}, [[TEST_PROVIDER, 1]], [TEST_PROVIDER_B]);
      fallbackRule.then.fallback!.push({ provider: TEST_PROVIDER, account: 'OTHER' });
      await admin.put(rulesPath(m.id), { rules: [fallbackRule] });

      const notTaken = await m.api.post('/v1/deposits', deposit({ amount: 150003 }));
      expect(notTaken.status).toBe(201);
      expect(callsFor(notTaken.body.id).map((c) => `${c.provider}/${c.account}`)).toEqual(['testpay/DEFAULT', 'testpay-b/DEFAULT']);
      expect(notTaken.body.provider).toBe(TEST_PROVIDER_B);
      // testpay-b also answers "not taken" for …03: the payment fails rather than trying a third target.
      expect(notTaken.body.status).toBe('FAILED');
      const tx = await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: notTaken.body.id });
      expect(tx.routingReason).toContain('testpay/DEFAULT did not take it, fallback to testpay-b/DEFAULT');

      const declined = await m.api.post('/v1/deposits', deposit({ amount: 150001 }));
      expect(declined.body.status).toBe('FAILED');
      expect(callsFor(declined.body.id).map((c) => c.provider)).toEqual([TEST_PROVIDER]);
      const unknown = await m.api.post('/v1/deposits', deposit({ amount: 150002 }));
      expect(unknown.body.status).toBe('INCONSISTENT');
      expect(callsFor(unknown.body.id).map((c) => c.provider)).toEqual([TEST_PROVIDER]);
    });

    it("hand the account's payway to the adapter, BRAND_CUR before BRAND", async () => {
      const m = await merchantWithProviders();
      await t.app.get(ProviderConfigService).put(
        m.id,
        TEST_PROVIDER,
        {
          enabled: true,
          paywayMapping: 'VISA->visa,MASTERCARD->mastercard,VISA_UAH->visa_cpaytrz_merchant_uah',
          baseUrls: {},
          accounts: { DEFAULT: { apiKey: 'k-123456' } },
        },
        'test',
      );
      await admin.put(rulesPath(m.id), { rules: [rule('all', {}, [[TEST_PROVIDER, 1]])] });

      const cases: Array<[Record<string, unknown>, string]> = [
        [{ currency: 'UAH' }, 'visa_cpaytrz_merchant_uah'],
        [{ currency: 'EUR' }, 'visa'],
        [{ currency: 'UAH', card: { number: MASTERCARD, expiryMonth: '12', expiryYear: '2030', cvv: '123' } }, 'mastercard'],
      ];
      for (const [overrides, payway] of cases) {
        const res = await m.api.post('/v1/deposits', deposit(overrides));
        expect(res.status).toBe(201);
        expect(callsFor(res.body.id)[0].request.routing.payway).toBe(payway);
        expect((await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: res.body.id })).details).toMatchObject({ payway });
      }

      const amex = await m.api.post('/v1/deposits', deposit({ card: { number: '378282246310005', expiryMonth: '12', expiryYear: '2030', cvv: '1234' } }));
      expect(amex.status).toBe(422);
      expect(amex.body.error.code).toBe('NO_PAYWAY_MAPPING');
    });
  });

  describe('access', () => {
    it('is for admins only', async () => {
      const m = await merchantWithProviders();
      for (const role of ['viewer', 'operator', 'approver'] as const) {
        const { bo } = await t.newStaff([role]);
        for (const res of [
          await bo.get(rulesPath(m.id)),
          await bo.put(rulesPath(m.id), { rules: [] }),
          await bo.post(explainPath(m.id), { txType: 'CreditcardDeposit', amount: 1, currency: 'EUR' }),
          await bo.post(`/backoffice/merchants/${m.id}/routing/explain-draft`, {
            rules: [],
            payment: { txType: 'CreditcardDeposit', amount: 1, currency: 'EUR' },
          }),
          await bo.get(threeDsPath(m.id)),
          await bo.put(threeDsPath(m.id), { enabled: true, mode: 'only_3ds' }),
        ]) {
          expect(res.status).toBe(403);
        }
      }
      expect((await t.http.get(rulesPath(m.id))).status).toBe(401);
      expect((await admin.get(threeDsPath(m.id))).body).toEqual({ enabled: false, mode: 'off' });
    });
  });
});
