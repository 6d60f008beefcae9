import type { Locator, Page } from 'playwright-core';

/** A config as the API takes it: the generated form's fields by name, base URLs and accounts by name. */
export interface ProviderConfigValues {
  enabled?: boolean;
  testMode?: boolean;
  useViqProxy?: boolean;
  paywayMapping?: string;
  defaultDescriptor?: string;
  timeoutMs?: number;
  baseUrls?: Record<string, string>;
  /** Fields of each account; a nested setting (paths, threeDsRouting) as an object, a map field as an object too. */
  accounts: Record<string, Record<string, unknown>>;
}

export type MerchantRef = { merchantId: string } | { merchantName: string };

export interface SavedInBrowser {
  /** 'saved': a new version is in force; 'pending': the change waits for a second admin (maker-checker). */
  outcome: 'saved' | 'pending';
  /** The status line the screen showed. */
  message: string;
}

// Inside page.evaluate callbacks, which run in the browser.
declare const window: any;
declare const PopStateEvent: any;

/**
 * Opens Providers in a signed-in admin's tab, picks the merchant and the provider, fills the generated
 * form with `values` and presses "Save config", as a person would: labels only, no request of its own.
 * A stored secret is replaced (its "Replace" button) when `values` carries it. Fields not in `values`
 * are left as the form shows them. Answers when the screen confirms; throws with the screen's
 * problems when the API refused the config.
 */
export async function saveProviderConfigInBrowser(
  page: Page,
  options: MerchantRef & { provider: string; values: ProviderConfigValues },
): Promise<SavedInBrowser> {
  await openProviderConfig(page, options);
  const form = page.getByRole('form', { name: 'Provider config' });
  await form.waitFor();
  const { accounts, baseUrls = {}, ...settings } = options.values;

  const settingsGroup = form.getByRole('group', { name: 'Settings', exact: true });
  for (const [name, value] of Object.entries(settings)) if (value !== undefined) await fill(settingsGroup, name, value);
  const urls = form.getByRole('group', { name: 'Base URLs', exact: true });
  for (const [name, url] of Object.entries(baseUrls)) await urls.getByLabel(`Base URL ${name}`, { exact: true }).fill(url);

  for (const [account, fields] of Object.entries(accounts)) {
    let group = form.getByRole('group', { name: `Account ${account}`, exact: true });
    if ((await group.count()) === 0) {
      await form.getByLabel('New account name', { exact: true }).fill(account);
      await form.getByRole('button', { name: 'Add account', exact: true }).click();
      group = form.getByRole('group', { name: `Account ${account}`, exact: true });
      await group.waitFor();
    }
    for (const [name, value] of Object.entries(fields)) await fill(group, name, value);
  }

  const before = await statusText(page);
  await form.getByRole('button', { name: 'Save config', exact: true }).click();
  const deadline = Date.now() + 20_000;
  for (;;) {
    const problems = form.getByRole('alert');
    if (await problems.count()) throw new Error(`the screen refused the config: ${await problems.first().innerText()}`);
    const message = await statusText(page);
    if (message && message !== before && /Config saved/.test(message)) {
      return { outcome: /waits for a second admin/.test(message) ? 'pending' : 'saved', message };
    }
    if (Date.now() > deadline) throw new Error(`no answer on the screen after Save config (last status: ${message})`);
    await page.waitForTimeout(100);
  }
}

/** Client-side navigation to the screen (a reload would sign out), then the merchant and provider pickers. */
export async function openProviderConfig(page: Page, options: MerchantRef & { provider: string }): Promise<void> {
  const go = (path: string) =>
    page.evaluate((p) => {
      window.history.pushState({}, '', p);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, path);
  // Away first, so the screen opens afresh (a draft of an earlier visit is not kept).
  await go('/console/');
  const merchant = page.getByLabel('Merchant', { exact: true });
  if ('merchantId' in options) {
    // A merchant by id: the screen's own address (a link from elsewhere opens it the same way).
    await go(`/console/providers/${options.merchantId}`);
    await page.waitForFunction((id) => window.document.querySelector(`option[value="${id}"]`) !== null, options.merchantId);
  } else {
    await go('/console/providers');
    await merchant.waitFor();
    // The picker holds the newest merchants; older ones come with "More merchants".
    const option = merchant
      .locator('option')
      .filter({ hasText: `${options.merchantName} · mer_` })
      .first();
    const more = page.getByRole('button', { name: 'More merchants', exact: true });
    await page.waitForFunction(() => window.document.querySelectorAll('option').length > 1);
    while ((await option.count()) === 0) {
      if ((await more.count()) === 0 || (await more.isDisabled())) {
        await option.waitFor({ state: 'attached', timeout: 5_000 });
        break;
      }
      await more.click();
      await page.waitForTimeout(200);
    }
    await merchant.selectOption({ label: (await option.textContent())! });
  }
  const provider = page.getByLabel('Provider', { exact: true });
  await page.waitForFunction((p) => window.document.querySelector(`option[value="${p}"]`) !== null, options.provider);
  await provider.selectOption(options.provider);
  await page.getByRole('form', { name: 'Provider config' }).waitFor();
}

async function fill(scope: Locator, name: string, value: unknown): Promise<void> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const nested = scope.getByRole('group', { name, exact: true });
    if (await nested.count()) {
      for (const [child, v] of Object.entries(value)) await fill(nested, child, v);
      return;
    }
  }
  const replace = scope.getByRole('button', { name: `Replace ${name}`, exact: true });
  if (await replace.count()) await replace.click();
  const input = scope.getByLabel(name, { exact: true });
  const tag = await input.evaluate((el: { tagName: string }) => el.tagName.toLowerCase());
  if (tag === 'select') await input.selectOption(String(value));
  else await input.fill(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

async function statusText(page: Page): Promise<string> {
  const status = page.locator('main [role="status"].notice');
  return (await status.count()) ? ((await status.first().textContent()) ?? '') : '';
}

/**
 * A working Kasha config against the sandbox (`TestSandbox.url`): the simulator takes any API key in
 * its default header (x-api-key, the descriptor's default).
 */
export function kashaSandboxValues(sandboxUrl: string, apiKey = 'kasha-test-key'): ProviderConfigValues {
  return {
    enabled: true,
    testMode: true,
    baseUrls: { api: `${sandboxUrl}/kasha` },
    accounts: { DEFAULT: { apiKey, supportedCurrencies: 'BRL|ARS|MXN|CLP|COP|PEN' } },
  };
}

/**
 * A working Interkassa config against the sandbox, for a checkout registered there first
 * (`POST {sandbox}/interkassa/_sandbox/checkouts` with these keys and the sign algorithm).
 */
export function interkassaSandboxValues(
  sandboxUrl: string,
  keys: { checkoutId: string; secretKey: string; testKey?: string; customerId?: string; apiKey?: string; accountID?: string; walletId?: string },
  signAlgorithm: 'md5' | 'sha256' = 'sha256',
): ProviderConfigValues {
  return {
    enabled: true,
    testMode: false,
    paywayMapping: 'VISA->visa,MASTERCARD->mastercard,VISA_UAH->visa_cpaytrz_merchant_uah',
    baseUrls: { api: `${sandboxUrl}/interkassa/api/v1`, sci: `${sandboxUrl}/interkassa/sci` },
    accounts: { DEFAULT: { ...keys, signAlgorithm, method: 'card', purseCurrency: 'UAH', supportedCurrencies: 'UAH|KZT|EUR|USD|GBP|INR' } },
  };
}
