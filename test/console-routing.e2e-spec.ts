import { randomToken } from '@payhub/common';
import { interkassaInput } from '../libs/provider-config/src/__fixtures__/provider-config.fixtures';
import { ProviderConfigService } from '@payhub/provider-config';
import type { Secret } from '@payhub/providers-core';
import { RoutingRuleEntity, RoutingService } from '@payhub/routing';
import { TransactionEntity } from '@payhub/transactions';
import type { Locator } from 'playwright-core';
import { buildConsole, ConsoleBrowser, ConsoleTab, traced } from './support/console-browser';
import { issueOf } from './support/console-merchants';
import {
  addRuleToDraftInBrowser,
  explainInBrowser,
  fillRuleEditor,
  openRoutingInBrowser,
  saveRoutingRuleInBrowser,
  saveRulesInBrowser,
} from './support/console-routing';
import type { HttpClient } from './support/http-client';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { TEST_PROVIDER, TEST_PROVIDER_B } from './support/test-provider';

type Staff = { id: string; email: string; password: string; bo: HttpClient };

/**
 * The console's Routing screen in the OS Chromium against the real api, MySQL and Redis: the rule list
 * (order, enable, conditions, weighted targets, fallback), "Try a payment" against the unsaved draft,
 * merchant and account 3DS2, and the payway mapping with its preview. Admins only.
 */
describe('console routing (browser)', () => {
  let t: TestApp;
  let browser: ConsoleBrowser;
  let viewer: Staff, operator: Staff, approver: Staff, admin: Staff;
  const tabs: Record<string, ConsoleTab> = {};

  beforeAll(async () => {
    await buildConsole();
    t = await TestApp.start();
    browser = await ConsoleBrowser.launch(`http://127.0.0.1:${t.config.port}`);
    [viewer, operator, approver, admin] = await Promise.all([
      t.newStaff(['viewer']),
      t.newStaff(['operator']),
      t.newStaff(['approver']),
      t.newStaff(['admin']),
    ]);
    for (const [name, staff] of Object.entries({ viewer, operator, approver, admin })) {
      tabs[name] = await browser.tab(name);
      await tabs[name].signIn(staff.email, staff.password);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const button = (scope: ConsoleTab | Locator, name: string) => (scope instanceof ConsoleTab ? scope.page : scope).getByRole('button', { name, exact: true });
  const expectAbsent = async (l: Locator) => expect(await l.count()).toBe(0);
  const storedRules = (merchantId: string) => t.app.get(RoutingService).rules(merchantId);
  /** A merchant with both test providers configured and no rules. */
  async function merchantWithProviders(): Promise<TestMerchant> {
    const m = await t.newMerchant(`routing-${randomToken(6)}`);
    await t.routeAllTo(m.id, [], [TEST_PROVIDER, TEST_PROVIDER_B]);
    return m;
  }

  it('is in the navigation of admins only; other roles get no routing controls', async () => {
    const m = await merchantWithProviders();
    for (const role of ['viewer', 'operator', 'approver'] as const) {
      const tab = tabs[role];
      await traced(`routing hidden ${role}`, [tab], async () => {
        await tab.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Merchants' }).waitFor();
        await expectAbsent(tab.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Routing' }));
        await tab.go(`/routing/${m.id}`);
        await tab.page.getByRole('heading', { name: 'Routing', level: 1 }).waitFor();
        await tab.page.getByRole('alert').filter({ hasText: 'This action needs the admin role' }).first().waitFor();
        for (const name of ['Add rule', 'Save rules', 'Explain', 'Save 3DS2 setting']) await expectAbsent(button(tab, name));
      });
    }
  });

  it('an admin builds rules with conditions in major units, weighted targets (sum shown) and fallback, explains the unsaved draft, then saves', async () => {
    const tab = tabs.admin;
    const m = await merchantWithProviders();
    await traced('build rules', [tab], async () => {
      await openRoutingInBrowser(tab.page, m.id);
      await tab.page.getByText('No rules: every payment is refused with ROUTING_NO_MATCH.').waitFor();

      await button(tab, 'Add rule').click();
      const form = tab.page.getByRole('form', { name: 'New rule' });
      await fillRuleEditor(form, {
        name: 'big UAH visa',
        priority: 10,
        txTypes: ['CreditcardDeposit'],
        currencies: ['UAH'],
        countries: ['UA'],
        cardBrands: ['VISA'],
        binPrefixes: ['4111'],
        amountMin: '1,000.50',
        amountMax: '50000',
        targets: [
          { provider: TEST_PROVIDER, weight: 70 },
          { provider: TEST_PROVIDER_B, weight: 30 },
        ],
        fallback: [{ provider: TEST_PROVIDER_B }],
      });
      await form.getByRole('status', { name: 'Weights sum' }).filter({ hasText: 'Weights sum: 100' }).waitFor();
      await form.getByText('70% of payments').waitFor();
      await form.getByText('major units of UAH (2 decimals)').first().waitFor();
      await button(form, 'Add to draft').click();
      await addRuleToDraftInBrowser(tab.page, { name: 'rest', priority: 20, targets: [{ provider: TEST_PROVIDER_B, weight: 1 }] });
      const table = tab.page.getByRole('table', { name: 'Routing rules' });
      await table.getByText('currency UAH, country UA, brand VISA, BIN 4111, amount ≥ 1,000.50 UAH, amount ≤ 50,000.00 UAH').waitFor();
      await table.getByText(`${TEST_PROVIDER}/DEFAULT 70%, ${TEST_PROVIDER_B}/DEFAULT 30% · fallback ${TEST_PROVIDER_B}/DEFAULT`).waitFor();
      await tab.page.getByRole('status').filter({ hasText: 'Unsaved changes' }).waitFor();

      // Explained against the draft: nothing is stored yet.
      const visa = await explainInBrowser(tab.page, { amount: '1500', currency: 'UAH', country: 'UA', cardNumber: '4111 1111 1111 1111' });
      expect(visa.decision).toMatch(/^Routes to testpay(-b)?\/DEFAULT by rule “big UAH visa”/);
      expect(visa.decision).toMatch(/picked testpay(-b)?\/DEFAULT by weight (70|30)\/100/);
      expect(visa.payment).toContain('1,500.00 UAH, VISA, BIN 41111111');
      expect(visa.rules).toEqual([
        { rule: 'big UAH visa', priority: '10', result: 'selected', why: expect.stringContaining('currency UAH') },
        { rule: 'rest', priority: '20', result: 'matches, not first', why: expect.stringContaining("rule 'big UAH visa' (priority 10) comes first") },
      ]);
      const small = await explainInBrowser(tab.page, { amount: '1000.49', currency: 'UAH', country: 'UA', cardBrand: 'VISA', bin: '41111111' });
      expect(small.decision).toContain('by rule “rest”');
      expect(small.rules[0]).toMatchObject({ result: 'no match', why: expect.stringContaining('amount') });
      await tab.screenshot('routing');
      expect(await storedRules(m.id)).toEqual([]);

      await saveRulesInBrowser(tab.page);
      const stored = await storedRules(m.id);
      expect(stored.map((r) => ({ name: r.name, priority: r.priority, enabled: r.enabled, when: r.when, then: r.then }))).toEqual([
        {
          name: 'big UAH visa',
          priority: 10,
          enabled: true,
          when: {
            txTypes: ['CreditcardDeposit'],
            currencies: ['UAH'],
            countries: ['UA'],
            cardBrands: ['VISA'],
            binPrefixes: ['4111'],
            amountMin: 100050,
            amountMax: 5000000,
          },
          then: {
            targets: [
              { provider: TEST_PROVIDER, account: 'DEFAULT', weight: 70 },
              { provider: TEST_PROVIDER_B, account: 'DEFAULT', weight: 30 },
            ],
            fallback: [{ provider: TEST_PROVIDER_B, account: 'DEFAULT' }],
          },
        },
        {
          name: 'rest',
          priority: 20,
          enabled: true,
          when: {},
          then: { targets: [{ provider: TEST_PROVIDER_B, account: 'DEFAULT', weight: 1 }], fallback: [] },
        },
      ]);
      // The screen's answer is the router's: a real deposit of the same payment routes by the saved rule.
      const res = await m.api.post('/v1/deposits', deposit({ amount: 150000 }));
      expect(res.status).toBe(201);
      expect(await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: res.body.id })).toMatchObject({ routingRuleId: stored[0].id });
    });
  });

  it('reorders by priority, disables and re-enables a rule, and deletes one; the explanation follows the draft', async () => {
    const tab = tabs.admin;
    const m = await merchantWithProviders();
    await t.app.get(RoutingService).replaceRules(
      m.id,
      [
        { name: 'first', priority: 10, enabled: true, when: {}, then: { targets: [{ provider: TEST_PROVIDER, account: 'DEFAULT', weight: 1 }], fallback: [] } },
        {
          name: 'second',
          priority: 20,
          enabled: true,
          when: {},
          then: { targets: [{ provider: TEST_PROVIDER_B, account: 'DEFAULT', weight: 1 }], fallback: [] },
        },
        { name: 'third', priority: 30, enabled: true, when: {}, then: { targets: [{ provider: TEST_PROVIDER, account: 'DEFAULT', weight: 1 }], fallback: [] } },
      ] as never,
      'test',
    );
    await traced('reorder rules', [tab], async () => {
      await openRoutingInBrowser(tab.page, m.id);
      await button(tab, 'Move up: second').click();
      const names = () => tab.page.getByRole('table', { name: 'Routing rules' }).locator('tbody tr td:nth-child(2)').allTextContents();
      expect(await names()).toEqual(['second', 'first', 'third']);
      expect((await explainInBrowser(tab.page, { amount: '10', currency: 'EUR' })).decision).toContain('by rule “second”');

      await tab.page.getByLabel('Enabled: second', { exact: true }).uncheck();
      const disabled = await explainInBrowser(tab.page, { amount: '10', currency: 'EUR' });
      expect(disabled.decision).toContain('by rule “first”');
      expect(disabled.rules[0]).toMatchObject({ rule: 'second', result: 'disabled' });

      await button(tab, 'Delete: third').click();
      await button(tab, 'Move down: second').click();
      expect(await names()).toEqual(['first', 'second']);
      await saveRulesInBrowser(tab.page);
      expect((await storedRules(m.id)).map((r) => [r.name, r.priority, r.enabled])).toEqual([
        ['first', 10, true],
        ['second', 20, false],
      ]);
      await tab.page.getByLabel('Enabled: second', { exact: true }).check();
      await saveRulesInBrowser(tab.page);
      expect((await storedRules(m.id)).map((r) => r.enabled)).toEqual([true, true]);
      expect(await t.db.getRepository(RoutingRuleEntity).countBy({ merchantId: m.id })).toBe(2);
    });
  });

  it('shows refusals at the field: the API names rules[i]… and payment.… fields, money with too many decimals is refused in the form', async () => {
    const tab = tabs.admin;
    const m = await merchantWithProviders();
    await traced('routing errors', [tab], async () => {
      await openRoutingInBrowser(tab.page, m.id);
      await button(tab, 'Add rule').click();
      const form = tab.page.getByRole('form', { name: 'New rule' });
      await fillRuleEditor(form, { name: 'yen', currencies: ['JPY'], amountMin: '10.5', targets: [{ provider: TEST_PROVIDER, weight: 1 }] });
      await button(form, 'Add to draft').click();
      await issueOf(form, 'Minimum amount').filter({ hasText: 'JPY has no decimals' }).waitFor();

      await fillRuleEditor(form, {
        name: 'yen',
        currencies: ['JPY'],
        amountMin: '10',
        binPrefixes: ['123456789'],
        targets: [{ provider: 'nosuchpay', weight: 0 }],
      });
      await button(form, 'Add to draft').click();
      await button(tab, 'Save rules').click();
      // The API's refusal opens the rule's editor with each issue at its input.
      const editor = tab.page.getByRole('form', { name: 'Rule yen' });
      await issueOf(editor, 'BIN prefixes').filter({ hasText: '1 to 8 digits' }).waitFor();
      await issueOf(editor, 'Weight of target 1').waitFor();
      await tab.screenshot('routing-errors');
      expect(await storedRules(m.id)).toEqual([]);

      await fillRuleEditor(editor, { name: 'yen', currencies: ['JPY'], amountMin: '10', targets: [{ provider: 'nosuchpay', weight: 1 }] });
      await button(editor, 'Apply to draft').click();
      await button(tab, 'Save rules').click();
      await issueOf(tab.page.getByRole('form', { name: 'Rule yen' }), 'Provider of target 1')
        .filter({ hasText: 'is not a known provider' })
        .waitFor();

      const tryForm = tab.page.getByRole('form', { name: 'Try a payment' });
      await button(tab, 'Delete: yen').click();
      await tryForm.getByLabel('Amount', { exact: true }).fill('1.234');
      await tryForm.getByLabel('Currency', { exact: true }).fill('EUR');
      await button(tryForm, 'Explain').click();
      await issueOf(tryForm, 'Amount').filter({ hasText: 'EUR has at most 2 decimals' }).waitFor();
      await tryForm.getByLabel('Amount', { exact: true }).fill('1.23');
      await tryForm.getByLabel('Card number', { exact: true }).fill('4111111111111112');
      await button(tryForm, 'Explain').click();
      await issueOf(tryForm, 'Card number').filter({ hasText: 'fails the Luhn check' }).waitFor();
      expect(await storedRules(m.id)).toEqual([]);
    });
  });

  it('sets the merchant 3DS2 mode, which the explanation reports', async () => {
    const tab = tabs.admin;
    const m = await merchantWithProviders();
    await traced('three ds merchant', [tab], async () => {
      await saveRoutingRuleInBrowser(tab.page, m.id, { name: 'all', targets: [{ provider: TEST_PROVIDER, weight: 1 }] });
      expect((await storedRules(m.id)).map((r) => r.name)).toEqual(['all']);
      const form = tab.page.getByRole('form', { name: 'Merchant 3DS2 routing' });
      await form.getByLabel('3DS2 routing enabled', { exact: true }).check();
      await form.getByLabel('3DS2 mode', { exact: true }).selectOption('required_3ds_v2');
      await button(form, 'Save 3DS2 setting').click();
      await form.getByRole('status').filter({ hasText: '3DS2 setting saved' }).waitFor();
      expect(await t.app.get(RoutingService).threeDsSetting(m.id)).toEqual({ enabled: true, mode: 'required_3ds_v2' });
      expect((await explainInBrowser(tab.page, { amount: '10', currency: 'EUR', cardBrand: 'VISA' })).payment).toContain('3DS2: required_3ds_v2');
    });
  });

  it('edits the payway mapping with a preview per brand and currency, and the account-level 3DS2 override', async () => {
    const tab = tabs.admin;
    const m = await t.newMerchant(`payway-${randomToken(6)}`);
    await t.app.get(ProviderConfigService).put(m.id, 'interkassa', interkassaInput() as never, 'test');
    await t.app
      .get(RoutingService)
      .replaceRules(
        m.id,
        [
          { name: 'ik', priority: 10, enabled: true, when: {}, then: { targets: [{ provider: 'interkassa', account: 'DEFAULT', weight: 1 }], fallback: [] } },
        ] as never,
        'test',
      );
    await traced('payway mapping', [tab], async () => {
      await openRoutingInBrowser(tab.page, m.id);
      const choose = tab.page.getByRole('form', { name: 'Choose provider' });
      await choose.getByLabel('Provider', { exact: true }).fill('interkassa');
      await button(choose, 'Open provider config').click();
      const form = tab.page.getByRole('form', { name: 'interkassa payway and 3DS2' });
      const preview = form.getByRole('table', { name: 'Payway preview' });
      /** The preview's cell of a brand (row) and currency (column). */
      const cell = async (brand: string, currency: string) => {
        const column = (await preview.locator('thead th').allTextContents()).indexOf(currency);
        return preview
          .locator('tbody tr', { has: tab.page.getByRole('rowheader', { name: brand, exact: true }) })
          .locator('td')
          .nth(column - 1);
      };
      await form.getByLabel('Preview currencies', { exact: true }).fill('UAH, EUR');
      expect(await (await cell('VISA', 'UAH')).textContent()).toBe('visa_cpaytrz_merchant_uah');
      expect(await (await cell('VISA', 'EUR')).textContent()).toBe('visa');
      expect(await (await cell('AMEX', 'UAH')).textContent()).toBe('refused (no payway)');
      // The account overrides the merchant with required_3ds_v2 (fixture); back to the merchant setting.
      expect(await form.getByLabel('3DS2 of account DEFAULT', { exact: true }).inputValue()).toBe('required_3ds_v2');

      await form.getByLabel('Payway mapping', { exact: true }).fill('VISA->visa,MASTERCARD->mastercard,VISA_UAH->visa_uah,FOO->x');
      await button(form, 'Save provider settings').click();
      // Refused before saving, as payments would refuse it (the config API stores the string as given).
      await issueOf(form, 'Payway mapping').filter({ hasText: 'entry "FOO->x" names unknown card brand FOO' }).waitFor();
      expect((await admin.bo.get(`/backoffice/merchants/${m.id}/providers/interkassa/config`)).body.version).toBe(1);

      await form.getByLabel('Payway mapping', { exact: true }).fill('VISA->visa,MASTERCARD->mastercard,VISA_UAH->visa_uah,AMEX->amex_pw');
      expect(await (await cell('AMEX', 'UAH')).textContent()).toBe('amex_pw');
      expect(await (await cell('VISA', 'UAH')).textContent()).toBe('visa_uah');
      await form.getByLabel('3DS2 of account DEFAULT', { exact: true }).selectOption('inherit');
      await tab.screenshot('routing-payway');
      await button(form, 'Save provider settings').click();
      await tab.page
        .getByRole('status')
        .filter({ hasText: /^Saved as version 2/ })
        .waitFor();
      const config = (await admin.bo.get(`/backoffice/merchants/${m.id}/providers/interkassa/config`)).body.config;
      expect(config.paywayMapping).toBe('VISA->visa,MASTERCARD->mastercard,VISA_UAH->visa_uah,AMEX->amex_pw');
      expect(config.accounts.DEFAULT.threeDsRouting).toBeUndefined();
      // Secrets kept: the stored account still opens with the fixture's key.
      const snapshot = await t.app.get(ProviderConfigService).load(m.id);
      expect((snapshot.resolve('interkassa', 'DEFAULT').settings.apiKey as Secret).reveal()).toBe('ik-api-key-0123456789');

      await form.getByLabel('3DS2 of account DEFAULT', { exact: true }).selectOption('only_3ds');
      await button(form, 'Save provider settings').click();
      await tab.page
        .getByRole('status')
        .filter({ hasText: /^Saved as version 3/ })
        .waitFor();
      expect((await explainInBrowser(tab.page, { amount: '10', currency: 'UAH', cardBrand: 'VISA' })).payment).toContain('3DS2: only_3ds');
    });
  });
});
