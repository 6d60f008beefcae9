import { AuditLogEntity } from '@payhub/backoffice';
import { randomToken } from '@payhub/common';
import { MerchantEntity, MerchantsService } from '@payhub/merchants';
import type { Locator } from 'playwright-core';
import { buildConsole, ConsoleBrowser, ConsoleTab, traced } from './support/console-browser';
import { createMerchantInBrowser, issueOf, openMerchantInBrowser, openMerchants } from './support/console-merchants';
import type { HttpClient } from './support/http-client';
import { TestApp } from './support/test-app';

// Inside page.evaluate callbacks, which run in the browser.
declare const navigator: any;

type Staff = { id: string; email: string; password: string; bo: HttpClient };

/**
 * The console's Merchants screens in the OS Chromium against the real api, MySQL and Redis: list,
 * detail, create (credentials shown once), edit, rotate the webhook secret, API keys and payout
 * auto-approve limits through maker-checker, each as the role that may, and without the controls for
 * the roles that may not.
 */
describe('console merchants (browser)', () => {
  let t: TestApp;
  let browser: ConsoleBrowser;
  let viewer: Staff, operator: Staff, admin: Staff, admin2: Staff;
  const tabs: Record<string, ConsoleTab> = {};

  beforeAll(async () => {
    await buildConsole();
    t = await TestApp.start();
    browser = await ConsoleBrowser.launch(`http://127.0.0.1:${t.config.port}`);
    [viewer, operator, admin, admin2] = await Promise.all([t.newStaff(['viewer']), t.newStaff(['operator']), t.newStaff(['admin']), t.newStaff(['admin'])]);
    for (const [name, staff] of Object.entries({ viewer, operator, admin, admin2 })) {
      tabs[name] = await browser.tab(name);
      await tabs[name].signIn(staff.email, staff.password);
    }
    await tabs.admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: browser.baseUrl });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const button = (scope: ConsoleTab | Locator, name: string) => (scope instanceof ConsoleTab ? scope.page : scope).getByRole('button', { name, exact: true });
  const expectAbsent = async (l: Locator) => expect(await l.count()).toBe(0);
  const merchantRow = (id: string) => t.db.getRepository(MerchantEntity).findOneByOrFail({ id });
  const withKey = (apiKey: string) => t.http.with({ 'x-api-key': apiKey });
  const auditActions = async (id: string) =>
    (await t.db.getRepository(AuditLogEntity).find({ where: { targetId: id }, order: { createdAt: 'ASC' } })).map((a) => a.action);

  it('an admin creates a merchant: API key and webhook secret shown once with copy buttons, the key works; refusals at the field', async () => {
    const tab = tabs.admin;
    await traced('create merchant', [tab], async () => {
      const name = `shop-${randomToken(6)}`;
      const answer = tab.page.waitForResponse((r) => r.url().endsWith('/backoffice/merchants') && r.request().method() === 'POST');
      const created = await createMerchantInBrowser(tab.page, { name, webhookUrl: 'https://shop.example/hooks' });
      const body = await (await answer).json();
      expect(created).toEqual({ merchantId: body.merchant.id, apiKey: body.apiKey, webhookSecret: body.webhookSecret });
      expect(created.apiKey).toMatch(/^phk_/);
      expect(created.webhookSecret).toMatch(/^whsec_/);
      expect((await withKey(created.apiKey).get('/v1/transactions')).status).toBe(200);
      expect(await merchantRow(created.merchantId)).toMatchObject({ name, webhookUrl: 'https://shop.example/hooks', status: 'active' });
      expect(await auditActions(created.merchantId)).toEqual(['merchant.create']);

      const shown = tab.page.getByRole('region', { name: 'New merchant credentials' });
      await button(shown, 'Copy API key').click();
      await shown.getByText('Copied').waitFor();
      expect(await tab.page.evaluate(() => navigator.clipboard.readText())).toBe(created.apiKey);
      await button(shown, 'Copy webhook secret').click();
      expect(await tab.page.evaluate(() => navigator.clipboard.readText())).toBe(created.webhookSecret);
      await tab.page.getByRole('table', { name: 'Merchants' }).getByRole('link', { name: created.merchantId }).waitFor();
      await tab.screenshot('merchant-created');

      // Shown once: the detail screen has neither secret.
      await openMerchantInBrowser(tab.page, created.merchantId);
      const detail = (await tab.page.locator('main').textContent()) ?? '';
      expect(detail).not.toContain(created.apiKey);
      expect(detail).not.toContain(created.webhookSecret);

      // A taken name and a bad URL are shown at their inputs; nothing is created.
      await openMerchants(tab.page);
      const form = tab.page.getByRole('form', { name: 'Create a merchant' });
      await form.getByLabel('Name', { exact: true }).fill(name);
      await form.getByLabel('Webhook URL', { exact: true }).fill('');
      await button(form, 'Create merchant').click();
      await issueOf(form, 'Name').filter({ hasText: 'is taken' }).waitFor();
      expect(await form.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      await form.getByLabel('Name', { exact: true }).fill(`other-${randomToken(6)}`);
      await form.getByLabel('Webhook URL', { exact: true }).fill('not a url');
      await button(form, 'Create merchant').click();
      await issueOf(form, 'Webhook URL').waitFor();
      expect(await t.db.getRepository(MerchantEntity).countBy({ name })).toBe(1);
    });
  });

  it('viewers and operators read the list and the detail but get no control to change a merchant; Routing is not in their navigation', async () => {
    const m = await t.newMerchant(`ro-${randomToken(6)}`);
    for (const role of ['viewer', 'operator'] as const) {
      const tab = tabs[role];
      await traced(`merchants read-only ${role}`, [tab], async () => {
        await openMerchants(tab.page);
        await tab.page.getByRole('table', { name: 'Merchants' }).waitFor();
        await expectAbsent(tab.page.getByRole('form', { name: 'Create a merchant' }));
        await expectAbsent(tab.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Routing' }));
        await openMerchantInBrowser(tab.page, m.id);
        await tab.page.getByRole('table', { name: 'API keys' }).waitFor();
        await tab.page.getByText('No limits: every payout waits for staff.').waitFor();
        for (const name of ['Save changes', 'Rotate webhook secret', 'Create API key', 'Save auto-approve limits', 'Add limit'])
          await expectAbsent(button(tab, name));
        await expectAbsent(tab.page.getByRole('button', { name: /^Revoke / }));
        await expectAbsent(tab.page.getByRole('link', { name: 'Routing of this merchant' }));
        // The webhook-event selection is readable by every role, from the detail.
        await tab.page.getByRole('link', { name: 'Webhook events of this merchant' }).click();
        await tab.page.getByRole('heading', { name: 'Webhook events', level: 1 }).waitFor();
        await expectAbsent(button(tab, 'Save'));
      });
    }
    await tabs.admin.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Routing' }).waitFor();
    await openMerchantInBrowser(tabs.admin.page, m.id);
    await tabs.admin.page.getByRole('link', { name: 'Webhook events of this merchant' }).click();
    await button(tabs.admin, 'Save').waitFor();
  });

  it('an admin renames, disables and re-enables a merchant and removes its webhook URL; a taken name is refused at the field', async () => {
    const tab = tabs.admin;
    const m = await t.newMerchant(`edit-${randomToken(6)}`);
    const taken = await t.newMerchant(`taken-${randomToken(6)}`);
    await t.app.get(MerchantsService).update(m.id, { webhookUrl: 'https://old.example/hooks' });
    await traced('edit merchant', [tab], async () => {
      await openMerchantInBrowser(tab.page, m.id);
      const form = tab.page.getByRole('form', { name: 'Edit merchant' });
      await form.getByLabel('Name', { exact: true }).fill((await merchantRow(taken.id)).name);
      await button(form, 'Save changes').click();
      await issueOf(form, 'Name').filter({ hasText: 'is taken' }).waitFor();

      const newName = `renamed-${randomToken(6)}`;
      await form.getByLabel('Name', { exact: true }).fill(newName);
      await form.getByLabel('Status', { exact: true }).selectOption('disabled');
      await form.getByLabel('Webhook URL', { exact: true }).fill('');
      await button(form, 'Save changes').click();
      await form.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      await tab.page.getByRole('heading', { name: `Merchant ${newName}` }).waitFor();
      expect(await merchantRow(m.id)).toMatchObject({ name: newName, status: 'disabled', webhookUrl: null });
      expect((await m.api.get('/v1/transactions')).status).toBe(403);

      await form.getByLabel('Status', { exact: true }).selectOption('active');
      await form.getByLabel('Webhook URL', { exact: true }).fill('https://new.example/hooks');
      await button(form, 'Save changes').click();
      await tab.page.getByLabel('Merchant summary').getByText('https://new.example/hooks').waitFor();
      expect(await merchantRow(m.id)).toMatchObject({ status: 'active', webhookUrl: 'https://new.example/hooks' });
      expect((await m.api.get('/v1/transactions')).status).toBe(200);
      expect(await auditActions(m.id)).toEqual(['merchant.update', 'merchant.update']);
    });
  });

  it('an admin rotates the webhook secret: the new one shown once, the old one signing until the grace period ends', async () => {
    const tab = tabs.admin;
    const m = await t.newMerchant(`rot-${randomToken(6)}`);
    await traced('rotate secret', [tab], async () => {
      await openMerchantInBrowser(tab.page, m.id);
      const form = tab.page.getByRole('form', { name: 'Rotate webhook secret' });
      await form.getByLabel('Grace period (hours)', { exact: true }).fill('200');
      await button(form, 'Rotate webhook secret').click();
      await issueOf(form, 'Grace period (hours)').waitFor();

      await form.getByLabel('Grace period (hours)', { exact: true }).fill('2');
      const answer = tab.page.waitForResponse((r) => r.url().endsWith('/webhook-secret/rotate') && r.status() === 200);
      await button(form, 'Rotate webhook secret').click();
      const body = await (await answer).json();
      const shown = tab.page.getByRole('region', { name: 'New webhook secret' });
      expect(await shown.getByLabel('Webhook secret', { exact: true }).inputValue()).toBe(body.webhookSecret);
      expect(body.webhookSecret).not.toBe(m.webhookSecret);
      const until = (await merchantRow(m.id)).previousWebhookSecretExpiresAt!;
      expect(until.getTime() - Date.now()).toBeGreaterThan(2 * 3600_000 - 60_000);
      await tab.page.getByLabel('Merchant summary').locator(`time[datetime="${until.toISOString()}"]`).waitFor();
      expect(await auditActions(m.id)).toEqual(['merchant.webhook_secret.rotate']);
    });
  });

  it('an admin creates a labelled API key (shown once, working) and revokes one through a confirmation', async () => {
    const tab = tabs.admin;
    const m = await t.newMerchant(`keys-${randomToken(6)}`);
    await traced('api keys', [tab], async () => {
      await openMerchantInBrowser(tab.page, m.id);
      const form = tab.page.getByRole('form', { name: 'Create API key' });
      await form.getByLabel('Key label', { exact: true }).fill('backend-2');
      await button(form, 'Create API key').click();
      const key = await tab.page.getByRole('region', { name: 'New API key' }).getByLabel('API key', { exact: true }).inputValue();
      expect(key).toMatch(/^phk_/);
      expect((await withKey(key).get('/v1/transactions')).status).toBe(200);
      const table = tab.page.getByRole('table', { name: 'API keys' });
      await table.getByRole('row', { name: /backend-2/ }).waitFor();

      const keys = (await admin.bo.get(`/backoffice/merchants/${m.id}/api-keys`)).body.data as Array<{ id: string; prefix: string; label: string }>;
      const second = keys.find((k) => k.label === 'backend-2')!;
      await button(tab, `Revoke ${second.prefix}`).click();
      const dialog = tab.page.getByRole('dialog', { name: `Revoke API key ${second.prefix}…` });
      await button(dialog, 'Confirm revoke').click();
      await dialog.waitFor({ state: 'detached' });
      await button(tab, `Revoke ${second.prefix}`).waitFor({ state: 'detached' });
      expect((await withKey(key).get('/v1/transactions')).status).toBe(401);
      expect((await m.api.get('/v1/transactions')).status).toBe(200);
      await tab.page.getByRole('heading', { name: /^Merchant / }).scrollIntoViewIfNeeded();
      await tab.screenshot('merchant-detail');
      expect(await auditActions(m.id)).toEqual(['merchant.api_key.create', 'merchant.api_key.revoke']);
    });
  });

  it('payout auto-approve limits in major units: allowing more is proposed (pending until a second admin confirms), lowering applies at once', async () => {
    const tab = tabs.admin;
    const m = await t.newMerchant(`auto-${randomToken(6)}`);
    await traced('auto approve', [tab], async () => {
      await openMerchantInBrowser(tab.page, m.id);
      const form = tab.page.getByRole('form', { name: 'Edit auto-approve limits' });
      await button(form, 'Add limit').click();
      await form.getByLabel('Currency of limit 1', { exact: true }).fill('JPY');
      await form.getByLabel('Below (major units) of limit 1', { exact: true }).fill('1.5');
      await button(form, 'Add limit').click();
      await form.getByLabel('Currency of limit 2', { exact: true }).fill('KWD');
      await form.getByLabel('Below (major units) of limit 2', { exact: true }).fill('12.3456');
      await button(form, 'Save auto-approve limits').click();
      // Refused in the form, never rounded: nothing is sent.
      await issueOf(form, 'Below (major units) of limit 1').filter({ hasText: 'JPY has no decimals' }).waitFor();
      await issueOf(form, 'Below (major units) of limit 2').filter({ hasText: 'KWD has at most 3 decimals' }).waitFor();
      expect(await t.db.getRepository(AuditLogEntity).countBy({ targetId: m.id })).toBe(0);

      await form.getByLabel('Below (major units) of limit 1', { exact: true }).fill('5000');
      await form.getByLabel('Below (major units) of limit 2', { exact: true }).fill('12.345');
      await button(form, 'Save auto-approve limits').click();
      const proposed = await form.getByRole('status').filter({ hasText: 'Proposed: pending change' }).textContent();
      const changeId = /pending change (\S+)/.exec(proposed!)![1];
      const pending = tab.page.getByRole('region', { name: 'Pending auto-approve changes' });
      await pending.getByText(changeId).waitFor();
      await pending.getByText('JPY below 5,000 JPY, KWD below 12.345 KWD', { exact: false }).waitFor();
      await tab.page.getByText('No limits: every payout waits for staff.').waitFor();
      expect((await admin.bo.get(`/backoffice/merchants/${m.id}/payout-auto-approve`)).body).toEqual({ rules: [] });
      await pending.scrollIntoViewIfNeeded();
      await tab.screenshot('merchant-auto-approve');

      // The second admin confirms it (the Payouts screen's pending changes); then it is in force.
      expect((await admin2.bo.post(`/backoffice/pending-changes/${changeId}/confirm`)).status).toBe(200);
      await openMerchantInBrowser(tab.page, m.id);
      const limits = tab.page.getByRole('table', { name: 'Payout auto-approve limits' });
      await limits.getByRole('cell', { name: '5,000 JPY', exact: true }).waitFor();
      await limits.getByRole('cell', { name: '12.345 KWD', exact: true }).waitFor();
      await expectAbsent(tab.page.getByRole('region', { name: 'Pending auto-approve changes' }));

      // Lowering a limit allows no more than before: applied at once.
      await form.getByLabel('Below (major units) of limit 2', { exact: true }).fill('10.5');
      await button(form, 'Save auto-approve limits').click();
      await form.getByRole('status').filter({ hasText: 'Saved: the new limits apply at once' }).waitFor();
      await limits.getByRole('cell', { name: '10.500 KWD', exact: true }).waitFor();
      expect((await admin.bo.get(`/backoffice/merchants/${m.id}/payout-auto-approve`)).body).toEqual({
        rules: [
          { currency: 'JPY', below: 5000 },
          { currency: 'KWD', below: 10500 },
        ],
      });
    });
  });
});
