import { readFileSync } from 'node:fs';
import { randomToken } from '@payhub/common';
import { ProviderConfigService, ProviderConfigVersionEntity } from '@payhub/provider-config';
import { Secret } from '@payhub/providers-core';
import type { Locator } from 'playwright-core';
import { buildConsole, ConsoleBrowser, ConsoleTab, traced } from './support/console-browser';
import { interkassaSandboxValues, kashaSandboxValues, openProviderConfig, saveProviderConfigInBrowser } from './support/console-providers';
import type { HttpClient } from './support/http-client';
import { TestApp } from './support/test-app';
import { TestSandbox } from './support/test-sandbox';

type Staff = { id: string; email: string; password: string; bo: HttpClient };
const MASK = '********';

/**
 * The Provider configs screen in the OS Chromium against the real api, MySQL, Redis and the provider
 * sandbox: the form generated from each adapter's descriptor, secrets kept unless replaced, the API's
 * refusals at their field paths, PaymentIQ XML in and out, versions with a diff and restore. Admins
 * only: other roles see no control.
 */
describe('console: provider configs (browser)', () => {
  let t: TestApp;
  let sandbox: TestSandbox;
  let browser: ConsoleBrowser;
  let viewer: Staff, operator: Staff, approver: Staff, admin: Staff, admin2: Staff;
  const tabs: Record<string, ConsoleTab> = {};

  beforeAll(async () => {
    await buildConsole();
    [t, sandbox] = await Promise.all([TestApp.start(), TestSandbox.start()]);
    browser = await ConsoleBrowser.launch(`http://127.0.0.1:${t.config.port}`);
    [viewer, operator, approver, admin, admin2] = await Promise.all([
      t.newStaff(['viewer']),
      t.newStaff(['operator']),
      t.newStaff(['approver']),
      t.newStaff(['admin']),
      t.newStaff(['admin']),
    ]);
    for (const [name, staff] of Object.entries({ viewer, operator, approver, admin, admin2 })) {
      tabs[name] = await browser.tab(name);
      await tabs[name].signIn(staff.email, staff.password);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sandbox?.close();
  });

  const button = (scope: ConsoleTab | Locator, name: string) => (scope instanceof ConsoleTab ? scope.page : scope).getByRole('button', { name, exact: true });
  const form = (tab: ConsoleTab) => tab.page.getByRole('form', { name: 'Provider config' });
  const account = (tab: ConsoleTab, name = 'DEFAULT') => form(tab).getByRole('group', { name: `Account ${name}`, exact: true });
  const status = (tab: ConsoleTab) => tab.page.locator('main [role="status"].notice').first();
  const versions = (merchantId: string, provider: string) => t.db.getRepository(ProviderConfigVersionEntity).countBy({ merchantId, provider });
  const clearSettings = async (merchantId: string, provider: string) => {
    const resolved = await t.app.get(ProviderConfigService).resolveAccount(merchantId, provider, 'DEFAULT');
    return Object.fromEntries(Object.entries(resolved.settings).map(([k, v]) => [k, v instanceof Secret ? v.reveal() : v]));
  };
  /** The error text tied to a control by aria-describedby, as a screen reader announces it. */
  const describedBy = (l: Locator) =>
    l.evaluate((el: any) =>
      String(el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id: string) => el.ownerDocument.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
  async function waitText(l: Locator, check: (text: string) => boolean, what: string): Promise<string> {
    const deadline = Date.now() + 20_000;
    let text = '';
    while (Date.now() < deadline) {
      text = (await l.textContent().catch(() => '')) ?? '';
      if (check(text)) return text;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${what}: last text was ${JSON.stringify(text)}`);
  }

  it('shows the screen to admins only: other roles get no form, no import, no restore', async () => {
    const m = await t.newMerchant();
    for (const role of ['viewer', 'operator', 'approver'] as const) {
      const tab = tabs[role];
      await traced(`providers hidden from ${role}`, [tab], async () => {
        await tab.go(`/providers/${m.id}/kasha`);
        await tab.page.getByText('Provider configs are for admins').waitFor();
        expect(await tab.page.getByRole('link', { name: 'Providers', exact: true }).count()).toBe(1);
        for (const name of ['Save config', 'Import XML', 'Export XML', 'Compare']) expect(await button(tab, name).count()).toBe(0);
        expect(await tab.page.getByLabel('Merchant', { exact: true }).count()).toBe(0);
      });
    }
  });

  it('generates the form from the descriptor, shows the API refusals at their field paths, and saves a working sandbox config', async () => {
    const tab = tabs.admin;
    const name = `pc-${randomToken(5)}`;
    const m = await t.newMerchant(name);
    await traced('provider form', [tab], async () => {
      await tab.go(`/providers/${m.id}/nosuchpay`);
      await tab.page.getByText('nosuchpay has no config schema').waitFor();
      await tab.page.getByRole('link', { name: 'Providers', exact: true }).click();
      await openProviderConfig(tab.page, { merchantName: name, provider: 'kasha' });
      await tab.page.getByText('No config yet: saving creates version 1.').waitFor();
      // Fields, their kinds and what is required, read from the Kasha descriptor.
      const apiKey = account(tab).getByLabel('apiKey', { exact: true });
      expect(await apiKey.getAttribute('type')).toBe('password');
      expect(await describedBy(apiKey)).toMatch(/secret; required/);
      expect(await account(tab).getByLabel('apiKeyHeader', { exact: true }).inputValue()).toBe('');
      expect(await describedBy(account(tab).getByLabel('apiKeyHeader', { exact: true }))).toContain('default x-api-key');
      const flow = account(tab).getByLabel('depositFlow', { exact: true });
      expect(await flow.evaluate((el: any) => el.tagName)).toBe('SELECT');
      expect(await account(tab).getByRole('group', { name: 'paths', exact: true }).getByLabel('refund', { exact: true }).count()).toBe(1);
      expect(await form(tab).getByLabel('Base URL api', { exact: true }).getAttribute('placeholder')).toBe('https://api-gateway.kasha.io');
      await tab.screenshot('provider-config-new');

      // Nothing typed and a bad currency list: the API names each field; each is shown beside its control.
      await account(tab).getByLabel('supportedCurrencies', { exact: true }).fill('BRL|XXX');
      await button(form(tab), 'Save config').click();
      const alert = form(tab).getByRole('alert');
      await waitText(alert, (s) => s.includes('accounts.DEFAULT.apiKey'), 'error summary');
      expect(await alert.textContent()).toContain('accounts.DEFAULT.supportedCurrencies');
      expect(await apiKey.getAttribute('aria-invalid')).toBe('true');
      expect(await describedBy(apiKey)).toBe('secret; required is required');
      expect(await describedBy(account(tab).getByLabel('supportedCurrencies', { exact: true }))).toContain('must be known currency codes');
      expect(await versions(m.id, 'kasha')).toBe(0);
      await alert.scrollIntoViewIfNeeded();
      await tab.screenshot('provider-config-errors');
    });

    const saved = await saveProviderConfigInBrowser(tab.page, {
      merchantId: m.id,
      provider: 'kasha',
      values: kashaSandboxValues(sandbox.url, 'kasha-key-from-browser'),
    });
    expect(saved).toMatchObject({ outcome: 'saved', message: expect.stringContaining('version 1 is in force') });
    expect(await clearSettings(m.id, 'kasha')).toMatchObject({
      apiKey: 'kasha-key-from-browser',
      apiKeyHeader: 'x-api-key',
      supportedCurrencies: 'BRL|ARS|MXN|CLP|COP|PEN',
    });
    expect((await t.app.get(ProviderConfigService).get(m.id, 'kasha')).config.baseUrls).toEqual({ api: `${sandbox.url}/kasha` });
    // The secret is never in the page, not even in an input's value.
    expect(await tab.page.content()).not.toContain('kasha-key-from-browser');
    await button(account(tab), 'Replace apiKey').waitFor();
    expect(await account(tab).getByText(`${MASK} stored`).count()).toBe(1);
  });

  it('keeps a stored secret unless "Replace" is used; replacing it goes to a second admin', async () => {
    const tab = tabs.admin;
    const m = await t.newMerchant();
    await saveProviderConfigInBrowser(tab.page, { merchantId: m.id, provider: 'kasha', values: kashaSandboxValues(sandbox.url, 'kasha-key-one') });
    await traced('secrets kept and replaced', [tab], async () => {
      expect(await account(tab).getByLabel('apiKey', { exact: true }).count()).toBe(0);
      await button(account(tab), 'Replace apiKey').scrollIntoViewIfNeeded();
      await tab.screenshot('provider-config');
      // A change of no credential and no base URL applies at once; the masked secret kept the stored one.
      await form(tab).getByRole('group', { name: 'Settings', exact: true }).getByLabel('defaultDescriptor', { exact: true }).fill('shop.example');
      await button(form(tab), 'Save config').click();
      await waitText(status(tab), (s) => s.includes('version 2 is in force'), 'saved');
      expect(await clearSettings(m.id, 'kasha')).toMatchObject({ apiKey: 'kasha-key-one' });

      // Replace, then think better of it: the stored one stays.
      await button(account(tab), 'Replace apiKey').click();
      await account(tab).getByLabel('apiKey', { exact: true }).fill('typo');
      await button(account(tab), 'Keep stored apiKey').click();
      expect(await account(tab).getByLabel('apiKey', { exact: true }).count()).toBe(0);
    });

    const replaced = await saveProviderConfigInBrowser(tab.page, {
      merchantId: m.id,
      provider: 'kasha',
      values: { accounts: { DEFAULT: { apiKey: 'kasha-key-two' } } },
    });
    expect(replaced.outcome).toBe('pending');
    expect(replaced.message).toContain('accounts.DEFAULT.apiKey');
    expect(await clearSettings(m.id, 'kasha')).toMatchObject({ apiKey: 'kasha-key-one' });
    // The second admin confirms it on Payouts, Pending changes; the masked proposal carries no secret.
    await traced('replaced secret confirmed', [tabs.admin2, tab], async () => {
      await tabs.admin2.go('/payouts');
      const item = tabs.admin2.page.getByRole('list', { name: 'Pending changes' }).locator('li', { hasText: m.id }).filter({ hasText: 'provider_config' });
      await item.waitFor();
      expect(await item.textContent()).toContain('accounts.DEFAULT.apiKey');
      expect(await item.textContent()).not.toContain('kasha-key-two');
      await item.getByRole('button', { name: 'Confirm change', exact: true }).click();
      await waitText(tabs.admin2.page.getByRole('status').first(), (x) => x.includes('confirmed'), 'confirmed');
      await openProviderConfig(tab.page, { merchantId: m.id, provider: 'kasha' });
      await tab.page.getByText('Version 3 in force').waitFor();
    });
    expect(await clearSettings(m.id, 'kasha')).toMatchObject({ apiKey: 'kasha-key-two' });
  });

  it('asks for every secret again when a base URL moves to another host', async () => {
    const tab = tabs.admin;
    const m = await t.newMerchant();
    await saveProviderConfigInBrowser(tab.page, { merchantId: m.id, provider: 'kasha', values: kashaSandboxValues(sandbox.url, 'kasha-key-host') });
    await traced('base URL host change', [tab], async () => {
      // Same host, another path: the stored secret may stay.
      await form(tab).getByLabel('Base URL api', { exact: true }).fill(`${sandbox.url}/kasha/v2`);
      await button(account(tab), 'Replace apiKey').waitFor();
      await form(tab).getByLabel('Base URL api', { exact: true }).fill('https://kasha.elsewhere.example');
      await form(tab).getByText('moves to another host: type every secret again').waitFor();
      const apiKey = account(tab).getByLabel('apiKey', { exact: true });
      expect(await apiKey.inputValue()).toBe('');
      expect(await button(account(tab), 'Keep stored apiKey').count()).toBe(0);
      await button(form(tab), 'Save config').click();
      await waitText(form(tab).getByRole('alert'), (s) => s.includes('accounts.DEFAULT.apiKey'), 'secret required');
      expect(await describedBy(apiKey)).toContain('type the secret again: a base URL moves to another host');
      await form(tab).getByRole('group', { name: 'Base URLs', exact: true }).scrollIntoViewIfNeeded();
      await tab.screenshot('provider-config-host-change');
      await apiKey.fill('kasha-key-elsewhere');
      await button(form(tab), 'Save config').click();
      await waitText(status(tab), (s) => s.includes('waits for a second admin'), 'pending');
      expect(await status(tab).textContent()).toContain('baseUrls.api');
    });
    expect(await versions(m.id, 'kasha')).toBe(1);
  });

  it('configures Interkassa and Paykassma too, with nested and conditional fields refused at their paths', async () => {
    const tab = tabs.admin;
    const m = await t.newMerchant();
    const r = randomToken(8).toLowerCase();
    const keys = {
      checkoutId: `co-${r}`,
      secretKey: `sign-${r}`,
      testKey: `test-${r}`,
      customerId: `user-${r}`,
      apiKey: `api-${r}`,
      accountID: `acc-${r}`,
      walletId: `purse-${r}`,
    };
    await fetch(`${sandbox.url}/interkassa/_sandbox/checkouts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...keys, signAlgorithm: 'sha256' }),
    });
    await traced('interkassa refusals', [tab], async () => {
      await openProviderConfig(tab.page, { merchantId: m.id, provider: 'interkassa' });
      const acc = account(tab);
      await acc.getByLabel('checkoutId', { exact: true }).fill(keys.checkoutId);
      await acc.getByLabel('secretKey', { exact: true }).fill(keys.secretKey);
      await acc.getByLabel('customerId', { exact: true }).fill(keys.customerId);
      await acc.getByRole('group', { name: 'threeDsRouting', exact: true }).getByLabel('enabled', { exact: true }).selectOption('true');
      await button(form(tab), 'Save config').click();
      const alert = form(tab).getByRole('alert');
      await waitText(alert, (s) => s.includes('accounts.DEFAULT.threeDsRouting.mode'), 'nested refusal');
      expect(await alert.textContent()).toContain('accounts.DEFAULT.apiKey');
      expect(await describedBy(acc.getByLabel('apiKey', { exact: true }))).toContain('apiKey is required when customerId is set');
      expect(await describedBy(acc.getByRole('group', { name: 'threeDsRouting', exact: true }).getByLabel('mode', { exact: true }))).toBe(
        'required when threeDsRouting is set is required',
      );
    });
    const ik = await saveProviderConfigInBrowser(tab.page, {
      merchantId: m.id,
      provider: 'interkassa',
      values: interkassaSandboxValues(sandbox.url, keys),
    });
    expect(ik.outcome).toBe('saved');
    const ikStored = await clearSettings(m.id, 'interkassa');
    expect(ikStored).toMatchObject({ ...keys, signAlgorithm: 'sha256', method: 'card' });
    expect(ikStored.threeDsRouting).toBeUndefined();

    const pk = await saveProviderConfigInBrowser(tab.page, {
      merchantId: m.id,
      provider: 'paykassma',
      values: {
        testMode: true,
        baseUrls: { api: `${sandbox.url}/paykassma` },
        accounts: {
          DEFAULT: {
            pluginApiSecret: `sec-${r}`,
            withdrawalPrivateKey: `wk-${r}`,
            postbackAccessKey: `ak-${r}`,
            postbackPrivateKey: `pk-${r}`,
            supportedCurrencies: 'INR|BDT',
            pluginUrl: `${sandbox.url}/paykassma/plugin`,
          },
        },
      },
    });
    expect(pk.outcome).toBe('saved');
    expect(await clearSettings(m.id, 'paykassma')).toMatchObject({
      pluginApiSecret: `sec-${r}`,
      postbackPrivateKey: `pk-${r}`,
      supportedCurrencies: 'INR|BDT',
    });
  });

  it('exports PaymentIQ XML (masked) and imports it pasted or uploaded, refusals shown at the XML field', async () => {
    const tab = tabs.admin;
    const m = await t.newMerchant();
    await saveProviderConfigInBrowser(tab.page, { merchantId: m.id, provider: 'kasha', values: kashaSandboxValues(sandbox.url, 'kasha-key-xml') });
    await traced('xml', [tab], async () => {
      const [download] = await Promise.all([tab.page.waitForEvent('download'), button(tab, 'Export XML').click()]);
      expect(download.suggestedFilename()).toBe(`${m.id}-kasha.xml`);
      const xml = readFileSync((await download.path())!, 'utf8');
      expect(xml).toContain('<com.devcode.paymentiq.integration.kasha.KashaConfig>');
      expect(xml).toContain(`<apiKey>${MASK}</apiKey>`);
      expect(xml).not.toContain('kasha-key-xml');

      // Pasted back with one change: a new version, the masked secret kept.
      await tab.page.getByLabel('PaymentIQ XML', { exact: true }).fill(xml.replace('<testMode>true</testMode>', '<testMode>false</testMode>'));
      await tab.page.getByRole('region', { name: 'PaymentIQ XML import and export' }).scrollIntoViewIfNeeded();
      await tab.screenshot('provider-config-xml');
      await button(tab, 'Import XML').click();
      await waitText(status(tab), (s) => s.includes('XML imported: version 2 is in force'), 'imported');
      expect(await clearSettings(m.id, 'kasha')).toMatchObject({ apiKey: 'kasha-key-xml' });
      expect((await t.app.get(ProviderConfigService).get(m.id, 'kasha')).config.testMode).toBe(false);

      // Uploaded, and broken: refused at `xml`, shown beside the XML box; nothing stored.
      await tab.page.getByLabel('XML file', { exact: true }).setInputFiles({
        name: 'broken.xml',
        mimeType: 'application/xml',
        buffer: Buffer.from('<com.devcode.paymentiq.integration.kasha.KashaConfig><enabled>true</enabled>'),
      });
      const xmlBox = tab.page.getByLabel('PaymentIQ XML', { exact: true });
      await xmlBox.evaluate(
        (el: any) =>
          new Promise<void>((ok) => {
            const wait = () => (el.value.includes('<enabled>true</enabled>') ? ok() : setTimeout(wait, 50));
            wait();
          }),
      );
      await button(tab, 'Import XML').click();
      await waitText(tab.page.getByRole('region', { name: 'PaymentIQ XML import and export' }).getByRole('alert'), (s) => s.includes('xml'), 'xml refusal');
      expect(await describedBy(xmlBox)).toContain('is not well-formed XML');
      expect(await versions(m.id, 'kasha')).toBe(2);
    });
  });

  it('lists versions, diffs any two and restores one', async () => {
    const tab = tabs.admin;
    const m = await t.newMerchant();
    await saveProviderConfigInBrowser(tab.page, { merchantId: m.id, provider: 'kasha', values: kashaSandboxValues(sandbox.url, 'kasha-key-v') });
    await saveProviderConfigInBrowser(tab.page, { merchantId: m.id, provider: 'kasha', values: { testMode: false, defaultDescriptor: 'v2', accounts: {} } });
    await saveProviderConfigInBrowser(tab.page, { merchantId: m.id, provider: 'kasha', values: { defaultDescriptor: 'v3', accounts: {} } });
    await traced('versions', [tab], async () => {
      const table = tab.page.getByRole('table', { name: 'Versions', exact: true });
      await waitText(table, (s) => s.includes('3 (in force)'), 'three versions');
      expect(await button(tab, 'Restore version 3').count()).toBe(0);
      await tab.page.getByLabel('From version', { exact: true }).selectOption('1');
      await tab.page.getByLabel('To version', { exact: true }).selectOption('3');
      await button(tab, 'Compare').click();
      const diff = tab.page.getByRole('table', { name: 'Changes from version 1 to version 3' });
      await diff.waitFor();
      const rows = await diff.locator('tbody tr').allTextContents();
      expect(rows).toEqual(['defaultDescriptoraddedv3', 'testModechangedtruefalse']);
      await diff.scrollIntoViewIfNeeded();
      await tab.screenshot('provider-config-versions');

      await button(tab, 'Restore version 1').click();
      await waitText(status(tab), (s) => s.includes('Version 1 restored: version 4 is in force'), 'restored');
      await waitText(table, (s) => s.includes('4 (in force)') && s.includes('restored version 1'), 'four versions');
    });
    const restored = await t.app.get(ProviderConfigService).get(m.id, 'kasha');
    expect(restored.config).toMatchObject({ testMode: true });
    expect(restored.config.defaultDescriptor).toBeUndefined();
    expect(await clearSettings(m.id, 'kasha')).toMatchObject({ apiKey: 'kasha-key-v' });
  });

  it('adds and removes accounts; a new account brings new credentials, so it goes to a second admin', async () => {
    const tab = tabs.admin;
    const m = await t.newMerchant();
    await saveProviderConfigInBrowser(tab.page, { merchantId: m.id, provider: 'kasha', values: kashaSandboxValues(sandbox.url, 'kasha-key-main') });
    await traced('accounts', [tab], async () => {
      expect(await button(tab, 'Remove account DEFAULT').count()).toBe(0);
      expect(await button(tab, 'Add account').isDisabled()).toBe(true);
      await tab.page.getByLabel('New account name', { exact: true }).fill('bad name!');
      expect(await button(tab, 'Add account').isDisabled()).toBe(true);
      await tab.page.getByLabel('New account name', { exact: true }).fill('DEFAULT');
      expect(await button(tab, 'Add account').isDisabled()).toBe(true);
      await tab.page.getByLabel('New account name', { exact: true }).fill('BRL_ONLY');
      await button(tab, 'Add account').click();
      await account(tab, 'BRL_ONLY').waitFor();
      await button(tab, 'Remove account BRL_ONLY').click();
      expect(await account(tab, 'BRL_ONLY').count()).toBe(0);
      expect(await button(tab, 'Remove account DEFAULT').count()).toBe(0);
    });
    const added = await saveProviderConfigInBrowser(tab.page, {
      merchantId: m.id,
      provider: 'kasha',
      values: { accounts: { BRL_ONLY: { apiKey: 'kasha-key-brl', supportedCurrencies: 'BRL' } } },
    });
    expect(added.outcome).toBe('pending');
    expect(added.message).toContain('accounts.BRL_ONLY.apiKey');
    const id = /pending change (\S+)\)/.exec(added.message)![1];
    await t.confirmChange({ status: 202, body: { id } } as never, admin2.bo);
    const resolved = await t.app.get(ProviderConfigService).resolveAccount(m.id, 'kasha', 'BRL_ONLY');
    expect((resolved.settings.apiKey as Secret).reveal()).toBe('kasha-key-brl');
    expect(await clearSettings(m.id, 'kasha')).toMatchObject({ apiKey: 'kasha-key-main' });
  });

  it('offers older merchants through "More merchants"', async () => {
    const tab = tabs.admin;
    const name = `oldest-${randomToken(5)}`;
    const oldest = await t.newMerchant(name);
    // A hundred newer ones push it off the first page of the picker (newest first).
    for (let i = 0; i < 100; i += 20) await Promise.all(Array.from({ length: 20 }, () => t.newMerchant()));
    await traced('more merchants', [tab], async () => {
      await tab.go('/');
      await tab.go('/providers');
      const picker = tab.page.getByLabel('Merchant', { exact: true });
      await button(tab, 'More merchants').waitFor();
      expect(await picker.locator('option', { hasText: name }).count()).toBe(0);
      await button(tab, 'More merchants').click();
      await picker.locator('option', { hasText: name }).waitFor({ state: 'attached' });
      await picker.selectOption(oldest.id);
      await tab.page.getByLabel('Provider', { exact: true }).selectOption('kasha');
      await tab.page.getByText(`Kasha for ${oldest.id}`).waitFor();
    });
    // The reusable step finds it by name the same way.
    const saved = await saveProviderConfigInBrowser(tab.page, { merchantName: name, provider: 'kasha', values: kashaSandboxValues(sandbox.url) });
    expect(saved.outcome).toBe('saved');
    expect(await clearSettings(oldest.id, 'kasha')).toMatchObject({ apiKey: 'kasha-test-key' });
    await traced('more merchants (after)', [tab], async () => {
      expect(await tab.page.getByLabel('Merchant', { exact: true }).inputValue()).toBe(oldest.id);
    });
  });
});
