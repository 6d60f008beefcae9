import type { HttpClient } from './support/http-client';
import { TestApp } from './support/test-app';

const MASK = '********';

function kasha(apiKey: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    enabled: true,
    testMode: true,
    baseUrls: { api: 'http://127.0.0.1:4000/kasha' },
    accounts: { DEFAULT: { apiKey, apiKeyHeader: 'Authorization', supportedCurrencies: 'BRL' } },
    ...overrides,
  };
}

/** The routes the console's Provider configs screen adds: the generated form's description and the version diff. */
describe('provider config forms and version diffs (back office)', () => {
  let t: TestApp;
  let admin: HttpClient;
  let operator: HttpClient;
  const path = (merchantId: string, provider: string, rest = '') => `/backoffice/merchants/${merchantId}/providers/${provider}/config${rest}`;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = (await t.newStaff(['admin'])).bo;
    operator = (await t.newStaff(['operator'])).bo;
  });
  afterAll(() => t.close());

  it("describes every provider's form from its adapter's descriptor", async () => {
    const res = await admin.get('/backoffice/provider-config-forms');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ hasMore: false, nextCursor: null });
    const providers = res.body.data.map((f: { provider: string }) => f.provider);
    expect(providers).toEqual(expect.arrayContaining(['interkassa', 'kasha', 'paykassma']));

    const one = await admin.get('/backoffice/provider-config-forms/interkassa');
    expect(one.status).toBe(200);
    expect(one.body).toEqual(res.body.data.find((f: { provider: string }) => f.provider === 'interkassa'));
    expect(one.body).toMatchObject({
      provider: 'interkassa',
      xmlRootElement: 'com.devcode.paymentiq.integration.interkassa.InterkassaConfig',
      secretFields: ['apiKey', 'secretKey', 'testKey'],
      baseUrls: [
        { name: 'api', default: 'https://api.interkassa.com/v1' },
        { name: 'sci', default: 'https://sci.interkassa.com/' },
      ],
    });
    expect(one.body.account).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'checkoutId', type: 'string', required: true, secret: false }),
        expect.objectContaining({ name: 'secretKey', type: 'string', required: true, secret: true }),
        expect.objectContaining({ name: 'apiKey', required: false, conditional: true, secret: true }),
        expect.objectContaining({ name: 'signAlgorithm', type: 'enum', enum: ['md5', 'sha256'], default: 'sha256' }),
      ]),
    );
    expect(one.body.config.map((f: { name: string }) => f.name)).toEqual([
      'enabled',
      'testMode',
      'useViqProxy',
      'paywayMapping',
      'defaultDescriptor',
      'timeoutMs',
    ]);
  });

  it('answers 404 PROVIDER_NOT_FOUND for a provider without a config schema, and only to admins', async () => {
    const missing = await admin.get('/backoffice/provider-config-forms/nosuchpay');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('PROVIDER_NOT_FOUND');
    expect((await operator.get('/backoffice/provider-config-forms')).status).toBe(403);
    expect((await operator.get('/backoffice/provider-config-forms/kasha')).status).toBe(403);
  });

  it('diffs two versions field by field; a replaced secret shows as changed, masked, and a retyped equal one not at all', async () => {
    const m = await t.newMerchant();
    expect((await admin.put(path(m.id, 'kasha'), kasha('kasha-key-first-1'))).status).toBe(200);
    // Typed again with the same value: sealed anew (another ciphertext), yet no change.
    expect((await admin.put(path(m.id, 'kasha'), kasha('kasha-key-first-1', { testMode: false, defaultDescriptor: 'shop' }))).status).toBe(200);
    await t.confirmChange(await admin.put(path(m.id, 'kasha'), kasha('kasha-key-second-2', { testMode: false })));

    const d12 = await admin.get(path(m.id, 'kasha', '/diff?from=1&to=2'));
    expect(d12.status).toBe(200);
    expect(d12.body).toEqual({
      merchantId: m.id,
      provider: 'kasha',
      from: 1,
      to: 2,
      changes: [
        { field: 'defaultDescriptor', change: 'added', after: 'shop', secret: false },
        { field: 'testMode', change: 'changed', before: true, after: false, secret: false },
      ],
    });

    const d23 = await admin.get(path(m.id, 'kasha', '/diff?from=2&to=3'));
    expect(d23.body.changes).toEqual([
      { field: 'accounts.DEFAULT.apiKey', change: 'changed', before: MASK, after: MASK, secret: true },
      { field: 'defaultDescriptor', change: 'removed', before: 'shop', secret: false },
    ]);
    expect(d23.text).not.toContain('kasha-key');

    // Backwards works too.
    const d31 = await admin.get(path(m.id, 'kasha', '/diff?from=3&to=1'));
    expect(d31.body.changes.map((c: { field: string }) => c.field)).toEqual(['accounts.DEFAULT.apiKey', 'testMode']);
  });

  it('refuses a diff with an unknown version (404) or a bad one (400 naming the parameter)', async () => {
    const m = await t.newMerchant();
    expect((await admin.put(path(m.id, 'kasha'), kasha('kasha-key-x'))).status).toBe(200);
    const unknown = await admin.get(path(m.id, 'kasha', '/diff?from=1&to=7'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('PROVIDER_CONFIG_VERSION_NOT_FOUND');
    const bad = await admin.get(path(m.id, 'kasha', '/diff?from=0&to=1'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toContain('from');
    const noMerchant = await admin.get(path('mer_00000000000000000000000000', 'kasha', '/diff?from=1&to=1'));
    expect(noMerchant.status).toBe(404);
    expect(noMerchant.body.error.code).toBe('MERCHANT_NOT_FOUND');
    expect((await operator.get(path(m.id, 'kasha', '/diff?from=1&to=1'))).status).toBe(403);
  });
});
