import { randomToken } from '@payhub/common';
import { DEFAULT_WEBHOOK_EVENTS } from '@payhub/notifications';
import { WEBHOOK_EVENT_TYPES } from '@payhub/transactions';
import { buildConsole, ConsoleBrowser, ConsoleTab, traced } from './support/console-browser';
import { HttpClient } from './support/http-client';
import { TestApp, TestMerchant } from './support/test-app';

type Staff = { id: string; email: string; password: string; bo: HttpClient };

/** The merchant's webhook event selection in the OS Chromium: admins change it, other roles only read it. */
describe('console: webhook events of a merchant (browser)', () => {
  let t: TestApp;
  let browser: ConsoleBrowser;
  let merchant: TestMerchant;
  let viewer: Staff, operator: Staff, admin: Staff;
  const tabs: Record<string, ConsoleTab> = {};

  beforeAll(async () => {
    await buildConsole();
    t = await TestApp.start();
    browser = await ConsoleBrowser.launch(`http://127.0.0.1:${t.config.port}`);
    merchant = await t.newMerchant(`console-events-${randomToken(4)}`, { webhookEvents: null });
    [viewer, operator, admin] = await Promise.all([t.newStaff(['viewer']), t.newStaff(['operator']), t.newStaff(['admin'])]);
    for (const [name, staff] of Object.entries({ viewer, operator, admin })) {
      tabs[name] = await browser.tab(name);
      await tabs[name].signIn(staff.email, staff.password);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const selectionOf = async () => (await admin.bo.get(`/backoffice/merchants/${merchant.id}/webhook-events`)).body.events as string[];

  it('an admin sees the default selection, changes it with the checkboxes and saves', async () => {
    const tab = tabs.admin;
    await traced('admin saves webhook events', [tab], async () => {
      await tab.go(`/merchants/${merchant.id}/webhook-events`);
      const page = tab.page;
      await page.getByRole('heading', { name: 'Webhook events' }).waitFor();
      const group = page.getByRole('group', { name: 'Event types sent to the merchant' });
      for (const type of WEBHOOK_EVENT_TYPES) {
        const box = group.getByRole('checkbox', { name: new RegExp(`^${type.replace('.', '\\.')}\\b`) });
        expect(await box.isChecked()).toBe(DEFAULT_WEBHOOK_EVENTS.includes(type));
        expect(await box.isEnabled()).toBe(true);
      }
      await tab.screenshot('merchant-webhook-events');
      await group.getByRole('checkbox', { name: /^transaction\.created\b/ }).check();
      await group.getByRole('checkbox', { name: /^transaction\.processing\b/ }).uncheck();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      expect(await page.getByRole('status').filter({ hasText: 'Saved' }).textContent()).toContain(
        `${WEBHOOK_EVENT_TYPES.length - 1} of ${WEBHOOK_EVENT_TYPES.length}`,
      );
    });
    const saved = await selectionOf();
    expect(saved).toContain('transaction.created');
    expect(saved).not.toContain('transaction.processing');
    expect(saved).toHaveLength(WEBHOOK_EVENT_TYPES.length - 1);
  });

  it('viewers and operators see the selection, disabled, and no Save button', async () => {
    const current = await selectionOf();
    for (const tab of [tabs.viewer, tabs.operator]) {
      await traced(`${tab.name} reads webhook events`, [tab], async () => {
        await tab.go(`/merchants/${merchant.id}/webhook-events`);
        const page = tab.page;
        const group = page.getByRole('group', { name: 'Event types sent to the merchant' });
        await group.getByRole('checkbox', { name: /^transaction\.succeeded\b/ }).waitFor();
        for (const type of WEBHOOK_EVENT_TYPES) {
          const box = group.getByRole('checkbox', { name: new RegExp(`^${type.replace('.', '\\.')}\\b`) });
          expect(await box.isChecked()).toBe(current.includes(type));
          expect(await box.isDisabled()).toBe(true);
        }
        expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
        await page.getByText('Changing the webhook events is for admins').waitFor();
      });
    }
  });

  it('an unknown merchant shows the error from the server', async () => {
    const tab = tabs.admin;
    await traced('unknown merchant webhook events', [tab], async () => {
      await tab.go('/merchants/mer_NOPE/webhook-events');
      await tab.page.getByRole('alert').filter({ hasText: 'MERCHANT_NOT_FOUND' }).waitFor();
    });
  });
});
