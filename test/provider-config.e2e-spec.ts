import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLogEntity } from '@payhub/backoffice';
import { ProviderConfigService, ProviderConfigVersionEntity } from '@payhub/provider-config';
import { revealed, Secret } from '@payhub/providers-core';

/** Resolved secrets are `Secret`s (they print [redacted]); their clear values, to compare. */
const clear = (settings: Record<string, unknown>) => Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, v instanceof Secret ? v.reveal() : v]));
import type { HttpClient } from './support/http-client';
import { TestApp } from './support/test-app';

const FIXTURE_XML = readFileSync(join(__dirname, '..', 'libs', 'provider-config', 'src', '__fixtures__', 'interkassa-config.paymentiq.xml'), 'utf8');
const XML = { 'content-type': 'application/xml' };
const MASK = '********';

const IK_SECRETS = { apiKey: 'ik-api-key-7f3e9a1c55', secretKey: 'ik-sign-key-b2d4e6f8a0', testKey: 'ik-test-key-0a9b8c7d6e' };
const PK_SECRETS = {
  pluginApiSecret: 'pk-plugin-5c1e2f',
  withdrawalPrivateKey: 'pk-wd-private-9d8c7b',
  postbackAccessKey: 'pk-access-3a4b5c',
  postbackPrivateKey: 'pk-postback-6e7f8a',
};
const KASHA_SECRET = 'kasha-api-key-4f5e6d7c8b';

function interkassaConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    enabled: true,
    testMode: false,
    paywayMapping: 'VISA->visa,MASTERCARD->mastercard,VISA_UAH->visa_cpaytrz_merchant_uah',
    defaultDescriptor: 'payment description',
    baseUrls: { api: 'https://api.interkassa.com/v1', sci: 'https://sci.interkassa.com/' },
    accounts: {
      DEFAULT: {
        customerId: '620bb219b4a69e4a9f05b3ed',
        ...IK_SECRETS,
        accountID: '620bb252a888ad66f31d2fa1',
        checkoutId: '620bb8ed61a8e529093dea5e',
        walletId: '302120998124',
        method: 'card',
        use3Dsecure: true,
        defaultDescriptor: 'account descriptor',
        supportedCurrencies: 'UAH|KZT|EUR|USD|GBP',
        doDefaultRedirect: true,
        signAlgorithm: 'md5',
        threeDsRouting: { enabled: true, mode: 'required_3ds_v2' },
      },
    },
    ...overrides,
  };
}

function paykassmaConfig(): Record<string, unknown> {
  return {
    enabled: true,
    testMode: true,
    baseUrls: { api: 'https://api.staging.client-paykassma.com' },
    accounts: { DEFAULT: { ...PK_SECRETS, supportedCurrencies: 'INR|BDT' } },
  };
}

function kashaConfig(): Record<string, unknown> {
  return {
    enabled: true,
    testMode: true,
    baseUrls: { api: 'http://127.0.0.1:4000/kasha' },
    accounts: { DEFAULT: { apiKey: KASHA_SECRET, apiKeyHeader: 'Authorization', supportedCurrencies: 'BRL', paths: { settlePayout: '/v3/settle-payout' } } },
  };
}

const ALL_SECRETS = [...Object.values(IK_SECRETS), ...Object.values(PK_SECRETS), KASHA_SECRET];

function expectNoSecret(text: string): void {
  for (const secret of ALL_SECRETS) expect(text).not.toContain(secret);
}

describe('provider config over HTTP (back office)', () => {
  let t: TestApp;
  let admin: HttpClient;
  const path = (merchantId: string, provider: string, rest = '') => `/backoffice/merchants/${merchantId}/providers/${provider}/config${rest}`;

  beforeAll(async () => {
    t = await TestApp.start();
    admin = (await t.newStaff(['admin'])).bo;
  });
  afterAll(() => t.close());

  const versionCount = async (merchantId: string, provider: string) => t.db.getRepository(ProviderConfigVersionEntity).countBy({ merchantId, provider });
  const resolve = (merchantId: string, provider: string, account = 'DEFAULT') => t.app.get(ProviderConfigService).resolveAccount(merchantId, provider, account);

  describe('PaymentIQ XML', () => {
    it("imports the Interkassa document's example as-is and answers the masked JSON view", async () => {
      const m = await t.newMerchant();
      const res = await admin.put(path(m.id, 'interkassa'), FIXTURE_XML, XML);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        merchantId: m.id,
        provider: 'interkassa',
        version: 1,
        comment: 'imported from PaymentIQ XML',
        config: {
          enabled: true,
          useViqProxy: true,
          testMode: false,
          paywayMapping: 'VISA->visa,MASTERCARD->mastercard',
          defaultDescriptor: 'payment description goes here',
          accounts: {
            DEFAULT: {
              customerId: '??',
              apiKey: MASK,
              secretKey: MASK,
              accountID: '??',
              checkoutId: '??',
              walletId: '??',
              method: 'card',
              use3Dsecure: true,
              supportedCurrencies: 'UAH|KZT|EUR|USD|GBP',
              signAlgorithm: 'sha256',
            },
          },
        },
      });
      const account = await resolve(m.id, 'interkassa');
      expect(clear(account.settings)).toMatchObject({ apiKey: '??', secretKey: '??', checkoutId: '??' });
    });

    it('also takes text/xml', async () => {
      const m = await t.newMerchant();
      const res = await admin.put(path(m.id, 'interkassa'), FIXTURE_XML, { 'content-type': 'text/xml; charset=utf-8' });
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(1);
    });

    it('exports masked XML with an XML content type, and export→import round-trips without losing a secret', async () => {
      const m = await t.newMerchant();
      const put = await admin.put(path(m.id, 'interkassa'), interkassaConfig());
      expect(put.status).toBe(200);

      const exported = await admin.get(path(m.id, 'interkassa', '?format=xml'));
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toMatch(/^application\/xml/);
      expect(exported.text).toContain('<com.devcode.paymentiq.integration.interkassa.InterkassaConfig>');
      expect(exported.text).toContain('<paywayMapping>VISA->visa,MASTERCARD->mastercard,VISA_UAH->visa_cpaytrz_merchant_uah</paywayMapping>');
      expect(exported.text).toContain(`<secretKey>${MASK}</secretKey>`);
      expectNoSecret(exported.text);

      const reimported = await admin.put(path(m.id, 'interkassa'), exported.text, XML);
      expect(reimported.status).toBe(200);
      expect(reimported.body.version).toBe(2);
      expect(reimported.body.config).toEqual(put.body.config);
      // The masks in the export kept the stored secrets.
      expect(clear((await resolve(m.id, 'interkassa')).settings)).toMatchObject(IK_SECRETS);

      const again = await admin.get(path(m.id, 'interkassa', '?format=xml'));
      expect(again.text).toBe(exported.text);
    });

    it('refuses malformed XML and XML with bad fields, saving nothing', async () => {
      const m = await t.newMerchant();
      const broken = await admin.put(path(m.id, 'interkassa'), '<com.devcode.paymentiq.integration.interkassa.InterkassaConfig><enabled>true</enabled>', XML);
      expect(broken.status).toBe(400);
      expect(broken.body.error.code).toBe('VALIDATION_FAILED');
      expect(broken.body.error.details.map((d: { field: string }) => d.field)).toContain('xml');

      const bad = FIXTURE_XML.replace('<enabled>true</enabled>', '<enabled>maybe</enabled>').replace('<checkoutId>??</checkoutId>', '');
      const res = await admin.put(path(m.id, 'interkassa'), bad, XML);
      expect(res.status).toBe(400);
      const fields = res.body.error.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['enabled', 'accounts.DEFAULT.checkoutId']));
      expect(await versionCount(m.id, 'interkassa')).toBe(0);
    });
  });

  describe('JSON', () => {
    it('reads back what was stored, masked, for each provider', async () => {
      const m = await t.newMerchant();
      for (const [provider, config] of [
        ['interkassa', interkassaConfig()],
        ['paykassma', paykassmaConfig()],
        ['kasha', kashaConfig()],
      ] as const) {
        const put = await admin.put(path(m.id, provider), config);
        expect(put.status).toBe(200);
        const get = await admin.get(path(m.id, provider));
        expect(get.status).toBe(200);
        expect(get.body).toEqual(put.body);
        expect(get.body).toMatchObject({
          merchantId: m.id,
          provider,
          version: 1,
          createdBy: expect.stringContaining('@test.local'),
          createdAt: expect.any(String),
        });
      }
      const kasha = await admin.get(path(m.id, 'kasha'));
      expect(kasha.body.config.accounts.DEFAULT).toEqual({
        apiKey: MASK,
        apiKeyHeader: 'Authorization',
        supportedCurrencies: 'BRL',
        paths: { settlePayout: '/v3/settle-payout' },
      });
      const paykassma = await admin.get(path(m.id, 'paykassma'));
      expect(paykassma.body.config.accounts.DEFAULT).toEqual({
        pluginApiSecret: MASK,
        withdrawalPrivateKey: MASK,
        postbackAccessKey: MASK,
        postbackPrivateKey: MASK,
        supportedCurrencies: 'INR|BDT',
      });
    });

    it('names every bad field by its path and saves nothing', async () => {
      const m = await t.newMerchant();
      const config = interkassaConfig({ baseUrls: { api: 'ftp://api.interkassa.com', extra: 'https://x.example' }, timeoutMs: 5, paywayMapping: 'VISA=>visa' });
      const account = (config.accounts as Record<string, Record<string, unknown>>).DEFAULT;
      delete account.checkoutId;
      account.signAlgorithm = 'sha1';
      account.use3Dsecure = 'yes';
      account.unknownField = 1;
      (config.accounts as Record<string, unknown>).SECOND = { secretKey: 'x' };

      const res = await admin.put(path(m.id, 'interkassa'), config);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      const fields = res.body.error.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'baseUrls.api',
          'baseUrls.extra',
          'timeoutMs',
          'paywayMapping',
          'accounts.DEFAULT.checkoutId',
          'accounts.DEFAULT.signAlgorithm',
          'accounts.DEFAULT.use3Dsecure',
          'accounts.DEFAULT.unknownField',
          'accounts.SECOND.checkoutId',
        ]),
      );
      expectNoSecret(res.text);
      expect(await versionCount(m.id, 'interkassa')).toBe(0);
      expect((await admin.get(path(m.id, 'interkassa'))).body.error.code).toBe('PROVIDER_CONFIG_NOT_FOUND');
    });

    it('refuses a payway mapping routing could not use (unknown brand, a key mapped twice) when it is stored, not at payment time', async () => {
      const m = await t.newMerchant();
      for (const [mapping, issue] of [
        ['FOO->x', 'names unknown card brand FOO'],
        ['VISA->visa,VISA->visa_uah', 'maps VISA a second time'],
      ]) {
        const res = await admin.put(path(m.id, 'interkassa'), interkassaConfig({ paywayMapping: mapping }));
        expect(res.status).toBe(400);
        expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'paywayMapping', issue: expect.stringContaining(issue) })]);
      }
      expect(await versionCount(m.id, 'interkassa')).toBe(0);
      expect((await admin.put(path(m.id, 'interkassa'), interkassaConfig({ paywayMapping: 'VISA_UAH->visa_uah,MASTERCARD->mc' }))).status).toBe(200);
    });

    it('keeps the version in force when a change is invalid', async () => {
      const m = await t.newMerchant();
      await admin.put(path(m.id, 'kasha'), kashaConfig());
      const res = await admin.put(path(m.id, 'kasha'), { ...kashaConfig(), accounts: { DEFAULT: { apiKeyHeader: 'bad header' } } });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['accounts.DEFAULT.apiKey', 'accounts.DEFAULT.apiKeyHeader']),
      );
      expect(await versionCount(m.id, 'kasha')).toBe(1);
      expect(revealed((await resolve(m.id, 'kasha')).settings.apiKey)).toBe(KASHA_SECRET);
      // A resolved account that reaches a log line or a JSON body shows no secret (issue 15: Secret).
      const resolved = await resolve(m.id, 'kasha');
      expect(JSON.stringify(resolved)).not.toContain(KASHA_SECRET);
      expect(`${resolved.settings.apiKey}`).toBe('[redacted]');
    });

    it('refuses a body that is not a JSON object', async () => {
      const m = await t.newMerchant();
      const res = await admin.put(path(m.id, 'kasha'), [kashaConfig()]);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ field: 'config', issue: 'must be a JSON object' }]);
    });
  });

  describe('secrets', () => {
    it('never appear in a response or an audit row, and a PUT sending the mask back keeps the stored secret', async () => {
      const m = await t.newMerchant();
      const responses: string[] = [];
      const first = await admin.put(path(m.id, 'paykassma'), paykassmaConfig());
      expect(first.status).toBe(200);
      responses.push(first.text);

      // Send the masked view back with one change: the masks mean "keep".
      const shown = await admin.get(path(m.id, 'paykassma'));
      responses.push(shown.text);
      const changed = await admin.put(path(m.id, 'paykassma'), { ...shown.body.config, testMode: false });
      expect(changed.status).toBe(200);
      expect(changed.body.version).toBe(2);
      expect(changed.body.config.testMode).toBe(false);
      responses.push(changed.text);
      expect(clear((await resolve(m.id, 'paykassma')).settings)).toMatchObject(PK_SECRETS);

      // A mask for a field that never had a value is refused rather than stored.
      const noStored = await admin.put(path(m.id, 'kasha'), { ...kashaConfig(), accounts: { DEFAULT: { apiKey: MASK } } });
      expect(noStored.status).toBe(400);
      expect(noStored.body.error.details).toEqual([{ field: 'accounts.DEFAULT.apiKey', issue: expect.stringContaining('masked') }]);

      await admin.put(path(m.id, 'interkassa'), interkassaConfig());
      await admin.put(path(m.id, 'kasha'), kashaConfig());
      for (const provider of ['paykassma', 'interkassa', 'kasha']) {
        responses.push((await admin.get(path(m.id, provider))).text);
        responses.push((await admin.get(path(m.id, provider, '/versions'))).text);
        responses.push((await admin.get(path(m.id, provider, '?format=xml'))).text);
      }
      responses.push((await admin.post(path(m.id, 'kasha', '/versions/1/restore'))).text);
      for (const text of responses) expectNoSecret(text);

      const audit = await t.db.getRepository(AuditLogEntity).findBy({ targetType: 'merchant', targetId: m.id });
      expect(audit.length).toBe(5);
      expectNoSecret(JSON.stringify(audit));
      // The stored rows carry only sealed secrets.
      expectNoSecret(JSON.stringify(await t.db.getRepository(ProviderConfigVersionEntity).findBy({ merchantId: m.id })));
    });
  });

  describe('versions and restore', () => {
    it('lists every version newest first and restores an old one as a new version', async () => {
      const m = await t.newMerchant();
      await admin.put(path(m.id, 'kasha'), kashaConfig());
      const second = { ...kashaConfig(), defaultDescriptor: 'second', accounts: { DEFAULT: { apiKey: 'kasha-api-key-second', apiKeyHeader: 'x-api-key' } } };
      // Other credentials for an existing config: a second admin confirms them (maker-checker).
      const proposed = await admin.put(path(m.id, 'kasha'), second);
      expect(proposed.status).toBe(202);
      expect(revealed((await resolve(m.id, 'kasha')).settings.apiKey)).toBe(KASHA_SECRET);
      await t.confirmChange(proposed);
      expect(revealed((await resolve(m.id, 'kasha')).settings.apiKey)).toBe('kasha-api-key-second');

      const versions = await admin.get(path(m.id, 'kasha', '/versions'));
      expect(versions.status).toBe(200);
      expect(versions.body).toMatchObject({ hasMore: false, nextCursor: null });
      expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(versions.body.data[1].config.accounts.DEFAULT.apiKey).toBe(MASK);

      // Restoring the old credentials is as sensitive as typing them.
      const proposal = await admin.post(path(m.id, 'kasha', '/versions/1/restore'));
      expect(proposal.status).toBe(202);
      expect(proposal.body).toMatchObject({ kind: 'provider_config', status: 'pending', after: { changes: ['accounts.DEFAULT.apiKey'] } });
      const confirmed = await t.confirmChange(proposal);
      const restored = await admin.get(path(m.id, 'kasha'));
      expect(restored.body).toMatchObject({ version: 3, comment: 'restored version 1' });
      expect(restored.body.config).toEqual(versions.body.data[1].config);
      expect(revealed((await resolve(m.id, 'kasha')).settings.apiKey)).toBe(KASHA_SECRET);

      const audit = await t.db.getRepository(AuditLogEntity).findOneByOrFail({ targetId: m.id, action: 'provider_config.restore' });
      expect(audit.reason).toMatch(/^restored version 1 \(provider_config chg_/);
      expect(audit.requestId).toBe(confirmed.headers.get('x-request-id'));
      expect((audit.before as { version: number }).version).toBe(2);
      expect((audit.after as { version: number }).version).toBe(3);
    });

    it('answers 404 for a version that does not exist and 400 for one that is not a number', async () => {
      const m = await t.newMerchant();
      await admin.put(path(m.id, 'kasha'), kashaConfig());
      const missing = await admin.post(path(m.id, 'kasha', '/versions/9/restore'));
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('PROVIDER_CONFIG_VERSION_NOT_FOUND');
      const bad = await admin.post(path(m.id, 'kasha', '/versions/first/restore'));
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe('version');
      expect(await versionCount(m.id, 'kasha')).toBe(1);
    });
  });

  describe('audit', () => {
    it('records who changed what with the masked before/after and the request id', async () => {
      const m = await t.newMerchant();
      const staff = await t.newStaff(['admin']);
      const first = await staff.bo.put(path(m.id, 'interkassa'), interkassaConfig());
      const second = await staff.bo.put(path(m.id, 'interkassa'), FIXTURE_XML, XML);
      const checker = await t.newStaff(['admin']);
      const confirmed = await t.confirmChange(second, checker.bo);
      const rows = await t.db.getRepository(AuditLogEntity).find({ where: { targetType: 'merchant', targetId: m.id }, order: { id: 'ASC' } });
      expect(rows.map((r) => [r.action, r.actorId, r.actorEmail, r.requestId])).toEqual([
        ['provider_config.update', staff.id, staff.email, first.headers.get('x-request-id')],
        ['change.propose', staff.id, staff.email, second.headers.get('x-request-id')],
        ['change.confirm', checker.id, checker.email, confirmed.headers.get('x-request-id')],
        ['provider_config.import_xml', checker.id, checker.email, confirmed.headers.get('x-request-id')],
      ]);
      expect(rows[0].before).toBeNull();
      expect(rows[0].after).toMatchObject({ provider: 'interkassa', version: 1, config: { accounts: { DEFAULT: { secretKey: MASK } } } });
      expect(rows[1].before).toEqual(rows[0].after);
      expect(rows[3].before).toEqual(rows[0].after);
      expect((rows[3].after as { version: number }).version).toBe(2);
      expect(JSON.stringify(rows)).not.toContain(IK_SECRETS.secretKey);
    });
  });

  describe('access', () => {
    it('answers 404 for an unknown merchant or provider', async () => {
      const m = await t.newMerchant();
      const merchant = await admin.get(path('mer_00000000000000000000000000', 'interkassa'));
      expect(merchant.status).toBe(404);
      expect(merchant.body.error.code).toBe('MERCHANT_NOT_FOUND');
      const putMerchant = await admin.put(path('mer_00000000000000000000000000', 'interkassa'), interkassaConfig());
      expect(putMerchant.status).toBe(404);
      expect(putMerchant.body.error.code).toBe('MERCHANT_NOT_FOUND');
      for (const res of [
        await admin.get(path(m.id, 'nopay')),
        await admin.put(path(m.id, 'nopay'), kashaConfig()),
        await admin.get(path(m.id, 'nopay', '/versions')),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('PROVIDER_NOT_FOUND');
      }
    });

    it('is for admins only', async () => {
      const m = await t.newMerchant();
      await admin.put(path(m.id, 'kasha'), kashaConfig());
      for (const role of ['viewer', 'operator', 'approver'] as const) {
        const { bo } = await t.newStaff([role]);
        for (const res of [
          await bo.get(path(m.id, 'kasha')),
          await bo.get(path(m.id, 'kasha', '?format=xml')),
          await bo.put(path(m.id, 'kasha'), kashaConfig()),
          await bo.put(path(m.id, 'interkassa'), FIXTURE_XML, XML),
          await bo.get(path(m.id, 'kasha', '/versions')),
          await bo.post(path(m.id, 'kasha', '/versions/1/restore')),
        ]) {
          expect(res.status).toBe(403);
          expect(res.body.error.code).toBe('FORBIDDEN');
        }
      }
      expect((await t.http.get(path(m.id, 'kasha'))).status).toBe(401);
      expect(await versionCount(m.id, 'kasha')).toBe(1);
      expect(await versionCount(m.id, 'interkassa')).toBe(0);
    });
  });
});
