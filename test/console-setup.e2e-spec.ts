import { randomToken } from '@payhub/common';
import { RoutingRuleEntity } from '@payhub/routing';
import { TransactionEntity } from '@payhub/transactions';
import { buildConsole, ConsoleBrowser, ConsoleTab, traced } from './support/console-browser';
import { createMerchantInBrowser } from './support/console-merchants';
import { kashaSandboxValues, saveProviderConfigInBrowser } from './support/console-providers';
import { explainInBrowser, saveRoutingRuleInBrowser } from './support/console-routing';
import { HttpClient } from './support/http-client';
import { TestApp } from './support/test-app';
import { TestSandbox } from './support/test-sandbox';

/**
 * A new merchant set up in the browser alone (issue 19): an admin creates the merchant, gives it a Kasha
 * config through the generated form, adds a routing rule and has the unsaved draft explained; then the
 * merchant's new key makes a deposit over the merchant API, which routes as configured and is paid at
 * the Kasha sandbox. No set-up step goes around the console.
 */
describe('console: a merchant set up in the browser alone', () => {
  let t: TestApp;
  let sandbox: TestSandbox;
  let browser: ConsoleBrowser;
  let tab: ConsoleTab;

  beforeAll(async () => {
    await buildConsole();
    [t, sandbox] = await Promise.all([TestApp.start(), TestSandbox.start()]);
    browser = await ConsoleBrowser.launch(`http://127.0.0.1:${t.config.port}`);
    const admin = await t.newStaff(['admin']);
    tab = await browser.tab('admin');
    await tab.signIn(admin.email, admin.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sandbox?.close();
  });

  it('creates the merchant, its provider config and a routing rule, explains it, and the new key deposits by that rule', async () => {
    await traced('whole set-up', [tab], async () => {
      const created = await createMerchantInBrowser(tab.page, { name: `setup-${randomToken(6)}`, webhookUrl: 'https://setup.example/hooks' });

      const saved = await saveProviderConfigInBrowser(tab.page, { merchantId: created.merchantId, provider: 'kasha', values: kashaSandboxValues(sandbox.url) });
      expect(saved.outcome).toBe('saved');

      const rule = 'BRL cards to Kasha';
      await saveRoutingRuleInBrowser(tab.page, created.merchantId, {
        name: rule,
        priority: 10,
        txTypes: ['CreditcardDeposit'],
        currencies: ['BRL'],
        amountMin: '10.00',
        amountMax: '50000.00',
        targets: [{ provider: 'kasha', weight: 100 }],
      });
      const stored = await t.db.getRepository(RoutingRuleEntity).findBy({ merchantId: created.merchantId });
      expect(stored.map((r) => r.name)).toEqual([rule]);

      const match = await explainInBrowser(tab.page, { amount: '100.00', currency: 'BRL', cardNumber: '4111111111111111' });
      expect(match.decision).toContain('kasha/DEFAULT');
      expect(match.decision).toContain(rule);
      const tooSmall = await explainInBrowser(tab.page, { amount: '9.99', currency: 'BRL', cardNumber: '4111111111111111' });
      expect(tooSmall.decision).toContain('ROUTING_NO_MATCH');

      // The merchant's key from the screen that showed it once, against the merchant API.
      const merchantApi = new HttpClient(`http://127.0.0.1:${t.config.port}`, { 'x-api-key': created.apiKey });
      const body = {
        merchantTxId: `setup-${randomToken(8)}`,
        userId: 'user-setup',
        txType: 'CreditcardDeposit',
        amount: 10_000,
        currency: 'BRL',
        country: 'BR',
        card: { number: '4111111111111111', expiryMonth: '11', expiryYear: '2031', cvv: '123', holder: 'MARIA SILVA' },
        customer: {
          email: 'maria@example.com',
          phone: '+5511999999999',
          firstName: 'Maria',
          lastName: 'Silva',
          identify: { number: '36570630563', type: 'BRA_CPF' },
        },
        browser: { userAgent: 'Mozilla/5.0', ip: '84.232.140.77' },
        redirectUrls: { success: 'https://m.example/ok' },
      };
      const res = await merchantApi.post('/v1/deposits', body);
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('SUCCESSFUL');
      const tx = await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: res.body.id });
      expect({ merchantId: tx.merchantId, provider: tx.provider, account: tx.providerAccount, rule: tx.routingRuleId }).toEqual({
        merchantId: created.merchantId,
        provider: 'kasha',
        account: 'DEFAULT',
        rule: stored[0].id,
      });

      // Outside the rule: refused with the routing code, nothing sent to a provider.
      const refused = await merchantApi.post('/v1/deposits', { ...body, merchantTxId: `setup-${randomToken(8)}`, amount: 999 });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('ROUTING_NO_MATCH');
    });
  }, 120_000);
});
