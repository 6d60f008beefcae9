import type { INestApplicationContext } from '@nestjs/common';
import { StaffService } from '@payhub/backoffice';
import { AppConfig } from '@payhub/common';
import { MerchantsService } from '@payhub/merchants';
import { ProviderConfigService } from '@payhub/provider-config';
import { RoutingService } from '@payhub/routing';
import { createAdminContext } from '../scripts/admin-context';
import { DemoCredentials, seedDemo, SeedOptions } from '../scripts/seed-demo';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { testConfig } from './support/test-config';

/** What `npm start` does on every start, on one database: the first seeds, the later ones keep. */
describe('demo seed across restarts', () => {
  let databaseUrl: string;
  let admin: INestApplicationContext;

  beforeAll(async () => {
    databaseUrl = await isolatedDatabaseUrl('demo_seed');
    admin = await createAdminContext(testConfig({ DATABASE_URL: databaseUrl }));
  });
  afterAll(async () => {
    await admin?.close();
  });

  const start = async (env: Record<string, string> = {}, options: SeedOptions = {}): Promise<DemoCredentials> => {
    const config: AppConfig = testConfig({ DATABASE_URL: databaseUrl, ...env });
    return seedDemo(admin, config, options);
  };
  const merchants = () => admin.get(MerchantsService);
  const staff = () => admin.get(StaffService);
  const canLogIn = (email: string, password: string) =>
    staff()
      .authenticate(email, password)
      .then(
        () => true,
        () => false,
      );

  it('keeps the key, the passwords and staff edits on a restart; a reset or a new fixed key replaces and revokes', async () => {
    const first = await start();
    expect(first.webhookSecret).toMatch(/^whsec_/);
    expect((await merchants().authenticate(first.apiKey))?.id).toBe(first.merchantId);
    expect(await canLogIn('admin@payhub.local', first.password)).toBe(true);
    const rules = await admin.get(RoutingService).rules(first.merchantId);
    expect(rules.length).toBeGreaterThan(1);

    // Staff edit the demo: a role, a password, the routing and a provider config.
    const operator = (await staff().findByEmail('operator@payhub.local'))!;
    await staff().update(operator.id, { roles: ['operator', 'approver'] });
    const approver = (await staff().findByEmail('approver@payhub.local'))!;
    await staff().update(approver.id, { password: 'approver-own-password' });
    await admin.get(RoutingService).replaceRules(first.merchantId, [{ ...rules[0], name: 'only this one' }], 'staff');
    const configVersions = await admin.get(ProviderConfigService).versions(first.merchantId, 'interkassa');

    const second = await start();
    expect(second).toMatchObject({ merchantId: first.merchantId, apiKey: first.apiKey, password: first.password, webhookSecret: null });
    expect((await merchants().authenticate(first.apiKey))?.id).toBe(first.merchantId);
    expect(await canLogIn('admin@payhub.local', first.password)).toBe(true);
    expect(await canLogIn('approver@payhub.local', 'approver-own-password')).toBe(true);
    expect((await staff().findByEmail('operator@payhub.local'))!.roles).toEqual(['operator', 'approver']);
    expect((await admin.get(RoutingService).rules(first.merchantId)).map((r) => r.name)).toEqual(['only this one']);
    expect(await admin.get(ProviderConfigService).versions(first.merchantId, 'interkassa')).toHaveLength(configVersions.length);
    expect((await merchants().listApiKeys(first.merchantId)).filter((k) => !k.revokedAt)).toHaveLength(1);

    // A fixed key: used from now on, the replaced one revoked; restarting with it again is clean.
    const fixed = 'phk_demo_fixed_for_this_test_0001';
    const third = await start({ PAYHUB_DEMO_API_KEY: fixed });
    expect(third.apiKey).toBe(fixed);
    expect(await merchants().authenticate(first.apiKey)).toBeNull();
    expect((await merchants().authenticate(fixed))?.id).toBe(first.merchantId);
    const fourth = await start({ PAYHUB_DEMO_API_KEY: fixed });
    expect(fourth.apiKey).toBe(fixed);
    expect(fourth.password).toBe(first.password);
    expect((await merchants().listApiKeys(first.merchantId)).filter((k) => !k.revokedAt)).toHaveLength(1);

    // Asked for: a reset issues a new key and password and restores the demo as seeded.
    const reset = await start({}, { reset: true });
    expect(reset.apiKey).not.toBe(fixed);
    expect(reset.password).not.toBe(first.password);
    expect(await merchants().authenticate(fixed)).toBeNull();
    expect((await merchants().authenticate(reset.apiKey))?.id).toBe(first.merchantId);
    expect(await canLogIn('approver@payhub.local', reset.password)).toBe(true);
    expect(await canLogIn('admin@payhub.local', first.password)).toBe(false);
    expect((await staff().findByEmail('operator@payhub.local'))!.roles).toEqual(['operator']);
    expect(await admin.get(RoutingService).rules(first.merchantId)).toHaveLength(rules.length);

    // A fixed password differing from the one in force resets the demo staff's passwords to it.
    const pinned = await start({ PAYHUB_DEMO_PASSWORD: 'pinned-demo-password' });
    expect(pinned.apiKey).toBe(reset.apiKey);
    expect(await canLogIn('admin@payhub.local', 'pinned-demo-password')).toBe(true);
    expect((await start()).password).toBe('pinned-demo-password');
  });
});
