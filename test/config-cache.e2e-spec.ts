import { deposit, TestApp } from './support/test-app';
import { TEST_PROVIDER, TEST_PROVIDER_B } from './support/test-provider';

describe('routing, provider configs and API keys cached per process, invalidated across processes', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await TestApp.start();
    // A second api process on the same Redis channel, as a scaled-out deployment runs it.
    b = await TestApp.start({ env: { QUEUE_PREFIX: a.config.queuePrefix } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const rule = (provider: string) => ({
    name: 'all',
    priority: 10,
    enabled: true,
    when: {},
    then: { targets: [{ provider, account: 'DEFAULT', weight: 100 }], fallback: [] },
  });

  it('a rule change made through one process routes the next payment on the other', async () => {
    const merchant = await a.newMerchant();
    await a.routeAllTo(merchant.id, undefined, [TEST_PROVIDER, TEST_PROVIDER_B]);
    const admin = await a.newStaff(['admin']);
    const onB = b.http.with({ 'x-api-key': merchant.apiKey });

    expect((await onB.post('/v1/deposits', deposit())).body.provider).toBe(TEST_PROVIDER);
    expect((await admin.bo.put(`/backoffice/merchants/${merchant.id}/routing/rules`, { rules: [rule(TEST_PROVIDER_B)] })).status).toBe(200);

    let provider = '';
    for (let i = 0; i < 40 && provider !== TEST_PROVIDER_B; i++) {
      provider = (await onB.post('/v1/deposits', deposit())).body.provider;
      if (provider !== TEST_PROVIDER_B) await new Promise((r) => setTimeout(r, 50));
    }
    expect(provider).toBe(TEST_PROVIDER_B);
  });

  it('a provider config disabled through one process stops routing to it on the other at once', async () => {
    const merchant = await a.newMerchant();
    await a.routeAllTo(merchant.id);
    const admin = await a.newStaff(['admin']);
    const onB = b.http.with({ 'x-api-key': merchant.apiKey });
    expect((await onB.post('/v1/deposits', deposit())).status).toBe(201);

    const path = `/backoffice/merchants/${merchant.id}/providers/${TEST_PROVIDER}/config`;
    const current = (await admin.bo.get(path)).body.config;
    expect((await admin.bo.put(path, { ...current, enabled: false })).status).toBe(200);

    let status = 0;
    for (let i = 0; i < 40 && status !== 422; i++) {
      status = (await onB.post('/v1/deposits', deposit())).status;
      if (status !== 422) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(422);
  });

  it('an API key revoked through one process is refused by the other', async () => {
    const merchant = await a.newMerchant();
    await a.routeAllTo(merchant.id);
    const admin = await a.newStaff(['admin']);
    const onB = b.http.with({ 'x-api-key': merchant.apiKey });
    expect((await onB.post('/v1/deposits', deposit())).status).toBe(201);

    const [key] = (await admin.bo.get(`/backoffice/merchants/${merchant.id}/api-keys`)).body.data;
    expect((await admin.bo.post(`/backoffice/merchants/${merchant.id}/api-keys/${key.id}/revoke`)).status).toBe(200);

    let status = 0;
    for (let i = 0; i < 40 && status !== 401; i++) {
      status = (await onB.post('/v1/deposits', deposit())).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(401);
  });
});
