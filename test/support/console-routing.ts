import type { Locator, Page } from 'playwright-core';

// Inside page.waitForFunction callbacks, which run in the browser.
declare const document: unknown;

/**
 * Browser steps on the console's Routing screen (admins only), for specs that set a merchant up through
 * the UI alone. Amounts are typed as a person would: major units of the currency ("1000.50").
 */

export interface BrowserRule {
  name: string;
  priority?: number;
  enabled?: boolean;
  txTypes?: string[];
  services?: string[];
  currencies?: string[];
  countries?: string[];
  cardBrands?: string[];
  binPrefixes?: string[];
  /** Major units of the rule's currencies (minor units when they have no single exponent). */
  amountMin?: string;
  amountMax?: string;
  targets: Array<{ provider: string; account?: string; weight: number }>;
  fallback?: Array<{ provider: string; account?: string }>;
}

export interface BrowserPayment {
  txType?: string;
  /** Major units, e.g. "1500.00". */
  amount: string;
  currency: string;
  service?: string;
  country?: string;
  cardNumber?: string;
  cardBrand?: string;
  bin?: string;
}

export interface BrowserExplanation {
  /** The headline: "Routes to testpay/DEFAULT by rule “…”: …" or "No route: … [ROUTING_NO_MATCH]". */
  decision: string;
  /** The line with the payment as routing saw it and the 3DS2 decision. */
  payment: string;
  rules: Array<{ rule: string; priority: string; result: string; why: string }>;
}

/** The merchant's routing screen, through the main navigation and the merchant field. */
export async function openRoutingInBrowser(page: Page, merchantId: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Routing', exact: true }).click();
  const choose = page.getByRole('form', { name: 'Choose merchant' });
  await choose.getByLabel('Merchant', { exact: true }).fill(merchantId);
  await choose.getByRole('button', { name: 'Open routing', exact: true }).click();
  await page.getByRole('heading', { name: /^Routing of / }).waitFor();
  await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
}

/**
 * Fills the rule editor (a new rule, or the rule of that name when `edit` is set) and applies it to the
 * draft; nothing is saved. The editor must not be refused locally (it stays open then).
 */
export async function addRuleToDraftInBrowser(page: Page, rule: BrowserRule, edit = false): Promise<void> {
  await page.getByRole('button', { name: edit ? `Edit: ${rule.name}` : 'Add rule', exact: true }).click();
  const form = page.getByRole('form', { name: edit ? `Rule ${rule.name}` : 'New rule' });
  await fillRuleEditor(form, rule);
  await form.getByRole('button', { name: edit ? 'Apply to draft' : 'Add to draft', exact: true }).click();
  await form.waitFor({ state: 'detached' });
}

export async function fillRuleEditor(form: Locator, rule: BrowserRule): Promise<void> {
  await form.getByLabel('Rule name', { exact: true }).fill(rule.name);
  await form.getByLabel('Priority', { exact: true }).fill(String(rule.priority ?? 10));
  await form.getByLabel('Rule enabled', { exact: true }).setChecked(rule.enabled ?? true);
  const types = form.getByRole('group', { name: 'Transaction types' });
  for (const box of await types.getByRole('checkbox').all()) await box.setChecked(false);
  for (const t of rule.txTypes ?? []) await types.getByLabel(t, { exact: true }).check();
  const brands = form.getByRole('group', { name: 'Card brands' });
  for (const box of await brands.getByRole('checkbox').all()) await box.setChecked(false);
  for (const b of rule.cardBrands ?? []) await brands.getByLabel(b, { exact: true }).check();
  await form.getByLabel('Services', { exact: true }).fill((rule.services ?? []).join(', '));
  await form.getByLabel('Currencies', { exact: true }).fill((rule.currencies ?? []).join(', '));
  await form.getByLabel('Countries', { exact: true }).fill((rule.countries ?? []).join(', '));
  await form.getByLabel('BIN prefixes', { exact: true }).fill((rule.binPrefixes ?? []).join(', '));
  await form.getByLabel('Minimum amount', { exact: true }).fill(rule.amountMin ?? '');
  await form.getByLabel('Maximum amount', { exact: true }).fill(rule.amountMax ?? '');
  await setRows(form, 'target', rule.targets.length);
  for (const [j, t] of rule.targets.entries()) {
    await form.getByLabel(`Provider of target ${j + 1}`, { exact: true }).fill(t.provider);
    await form.getByLabel(`Account of target ${j + 1}`, { exact: true }).fill(t.account ?? 'DEFAULT');
    await form.getByLabel(`Weight of target ${j + 1}`, { exact: true }).fill(String(t.weight));
  }
  const fallback = rule.fallback ?? [];
  await setRows(form, 'fallback', fallback.length);
  for (const [j, f] of fallback.entries()) {
    await form.getByLabel(`Provider of fallback ${j + 1}`, { exact: true }).fill(f.provider);
    await form.getByLabel(`Account of fallback ${j + 1}`, { exact: true }).fill(f.account ?? 'DEFAULT');
  }
}

/** Adds or removes target/fallback rows until there are `count`. */
async function setRows(form: Locator, kind: 'target' | 'fallback', count: number): Promise<void> {
  const rows = () => form.getByRole('group', { name: new RegExp(`^${kind === 'target' ? 'Target' : 'Fallback'} \\d+$`) }).count();
  while ((await rows()) > count) await form.getByRole('button', { name: `Remove ${kind} ${await rows()}`, exact: true }).click();
  while ((await rows()) < count) await form.getByRole('button', { name: `Add ${kind}`, exact: true }).click();
}

/** Saves the draft rule list and waits until the API stored it. */
export async function saveRulesInBrowser(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save rules', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Rules saved' }).waitFor();
}

/** Opens the merchant's routing, adds (or, with `edit`, replaces) one rule and saves the list. */
export async function saveRoutingRuleInBrowser(page: Page, merchantId: string, rule: BrowserRule, options: { edit?: boolean } = {}): Promise<void> {
  await openRoutingInBrowser(page, merchantId);
  await addRuleToDraftInBrowser(page, rule, options.edit ?? false);
  await saveRulesInBrowser(page);
}

/** Fills "Try a payment" on the open routing screen, explains against the draft and reads the answer. */
export async function explainInBrowser(page: Page, payment: BrowserPayment): Promise<BrowserExplanation> {
  const form = page.getByRole('form', { name: 'Try a payment' });
  await form.getByLabel('Transaction type', { exact: true }).selectOption(payment.txType ?? 'CreditcardDeposit');
  await form.getByLabel('Service', { exact: true }).fill(payment.service ?? '');
  await form.getByLabel('Amount', { exact: true }).fill(payment.amount);
  await form.getByLabel('Currency', { exact: true }).fill(payment.currency);
  await form.getByLabel('Country', { exact: true }).fill(payment.country ?? '');
  await form.getByLabel('Card number', { exact: true }).fill(payment.cardNumber ?? '');
  await form.getByLabel('Card brand', { exact: true }).selectOption(payment.cardBrand ?? '');
  await form.getByLabel('BIN', { exact: true }).fill(payment.bin ?? '');
  const answered = page.waitForResponse((r) => r.url().endsWith('/routing/explain-draft'));
  await form.getByRole('button', { name: 'Explain', exact: true }).click();
  const status = (await answered).status();
  // The answer is rendered once the request settles (the button is enabled again).
  await page.waitForFunction(() => !(document as any).querySelector('form[aria-label="Try a payment"] button[type="submit"]').disabled);
  if (status !== 200) throw new Error(`explain was refused (${status}): ${(await form.getByRole('alert').allTextContents()).join(' ')}`);
  const region = page.getByRole('region', { name: 'Explanation' });
  await region.waitFor();
  const lines = region.locator(':scope > p');
  const rows = await region
    .getByRole('table', { name: 'Rule evaluation' })
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => Array.from((tr as any).querySelectorAll('td')).map((td: any) => String(td.textContent ?? ''))));
  return {
    decision: ((await lines.nth(0).textContent()) ?? '').trim(),
    payment: ((await lines.nth(1).textContent()) ?? '').trim(),
    rules: rows.map(([rule, priority, result, why]) => ({ rule, priority, result, why })),
  };
}
