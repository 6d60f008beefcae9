import type { Locator, Page } from 'playwright-core';

// Inside page.evaluate callbacks, which run in the browser.
declare const window: any;
declare const PopStateEvent: any;

/**
 * Browser steps on the console's Merchants screens, for specs that set a merchant up through the UI
 * alone. Each starts from the main navigation, so it works from any screen of a signed-in admin tab.
 */

export async function openMerchants(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Merchants', exact: true }).click();
  await page.getByRole('heading', { name: 'Merchants', level: 1 }).waitFor();
}

/** Creates a merchant in the form and reads the credentials it shows once. */
export async function createMerchantInBrowser(
  page: Page,
  input: { name: string; webhookUrl?: string },
): Promise<{ merchantId: string; apiKey: string; webhookSecret: string }> {
  await openMerchants(page);
  const form = page.getByRole('form', { name: 'Create a merchant' });
  await form.getByLabel('Name', { exact: true }).fill(input.name);
  await form.getByLabel('Webhook URL', { exact: true }).fill(input.webhookUrl ?? '');
  await form.getByRole('button', { name: 'Create merchant', exact: true }).click();
  const shown = page.getByRole('region', { name: 'New merchant credentials' });
  await shown.waitFor();
  const merchantId = (await shown.locator('code').first().textContent())!.trim();
  return {
    merchantId,
    apiKey: await shown.getByLabel('API key', { exact: true }).inputValue(),
    webhookSecret: await shown.getByLabel('Webhook secret', { exact: true }).inputValue(),
  };
}

/** The merchant's detail screen (client-side navigation: a reload would sign the tab out). */
export async function openMerchantInBrowser(page: Page, merchantId: string): Promise<void> {
  await openMerchants(page); // from another screen, so the detail mounts afresh and reads the merchant again
  await page.evaluate((id) => {
    window.history.pushState({}, '', `/console/merchants/${id}`);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, merchantId);
  await page.getByRole('heading', { name: /^Merchant / }).waitFor();
  await page.getByRole('heading', { name: 'API keys' }).waitFor();
}

/** The issue shown under a labelled input of a form (the field the API named). */
export function issueOf(form: Locator, label: string): Locator {
  return form.locator('.field', { has: form.page().getByLabel(label, { exact: true }) }).locator('.field-issue');
}
