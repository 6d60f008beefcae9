import { readFileSync } from 'node:fs';
import { totpCode, totpStep } from '@payhub/backoffice';
import { newId, randomToken } from '@payhub/common';
import { WebhookAttemptEntity, WebhookDeliveryEntity } from '@payhub/notifications';
import { ProviderConfigService } from '@payhub/provider-config';
import { RoutingRuleDto, RoutingService } from '@payhub/routing';
import { TransactionEntity } from '@payhub/transactions';
import type { Locator } from 'playwright-core';
import { buildConsole, ConsoleBrowser, ConsoleTab, traced } from './support/console-browser';
import { HttpClient } from './support/http-client';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { signTestpay, TEST_PROVIDER, TEST_PROVIDER_C } from './support/test-provider';

// Inside page.evaluate / waitForFunction callbacks, which run in the browser.
declare const document: any;
declare const localStorage: any;

type Staff = { id: string; email: string; password: string; bo: HttpClient };

const withdrawal = (overrides: Record<string, unknown> = {}) =>
  deposit({
    txType: 'BankLocalWithdrawal',
    card: undefined,
    amount: 150000,
    bank: { name: 'HDFC', accountNumber: '1234567890', accountName: 'John Doe' },
    ...overrides,
  });

/**
 * The staff console in the OS Chromium against the real api, MySQL and Redis: every screen and action
 * as a role that may use it, and the roles that may not see no control for it. One browser, one tab
 * per role, reused; client-side navigation (a reload signs out: the token is in memory only).
 */
describe('console (browser)', () => {
  let t: TestApp;
  let browser: ConsoleBrowser;
  let merchant: TestMerchant;
  let other: TestMerchant;
  let viewer: Staff, operator: Staff, approver: Staff, admin: Staff, admin2: Staff, opApprover: Staff;
  const tabs: Record<string, ConsoleTab> = {};

  beforeAll(async () => {
    await buildConsole();
    t = await TestApp.start();
    browser = await ConsoleBrowser.launch(`http://127.0.0.1:${t.config.port}`);
    [merchant, other] = await Promise.all([t.newMerchant(`console-${randomToken(4)}`), t.newMerchant(`console-b-${randomToken(4)}`)]);
    await routeWithCurrencies(merchant.id, TEST_PROVIDER);
    await routeWithCurrencies(other.id, TEST_PROVIDER_C);
    [viewer, operator, approver, admin, admin2, opApprover] = await Promise.all([
      t.newStaff(['viewer']),
      t.newStaff(['operator']),
      t.newStaff(['approver']),
      t.newStaff(['admin']),
      t.newStaff(['admin']),
      t.newStaff(['operator', 'approver']),
    ]);
    for (const [name, staff] of Object.entries({ viewer, operator, approver, admin, admin2, opApprover })) {
      tabs[name] = await browser.tab(name);
      await tabs[name].signIn(staff.email, staff.password);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The test provider for every currency the money tests use (0, 2, 3 and 8 decimals). */
  async function routeWithCurrencies(merchantId: string, provider: string): Promise<void> {
    await t.app
      .get(ProviderConfigService)
      .put(
        merchantId,
        provider,
        { enabled: true, testMode: true, baseUrls: {}, accounts: { DEFAULT: { apiKey: 'k-123456', supportedCurrencies: 'UAH|USD|JPY|KWD|BTC|INR' } } },
        'test',
      );
    await t.app.get(RoutingService).replaceRules(
      merchantId,
      [
        {
          name: 'everything',
          priority: 10,
          enabled: true,
          when: {},
          then: { targets: [{ provider, account: 'DEFAULT', weight: 100 }], fallback: [] },
        } as RoutingRuleDto,
      ],
      'test',
    );
  }

  const pay = async (m: TestMerchant, overrides: Record<string, unknown> = {}) => {
    const res = await m.api.post('/v1/deposits', deposit(overrides));
    if (res.status !== 201) throw new Error(`deposit failed: ${res.status} ${res.text}`);
    return res.body as { id: string; status: string; amount: number; currency: string; merchantTxId: string };
  };
  const stored = (id: string) => t.db.getRepository(TransactionEntity).findOneByOrFail({ id });
  const button = (tab: ConsoleTab, name: string) => tab.page.getByRole('button', { name, exact: true });
  const expectVisible = async (l: Locator) => l.first().waitFor({ state: 'visible' });
  const expectAbsent = async (l: Locator) => expect(await l.count()).toBe(0);
  /** Waits until the locator's text satisfies the check (the UI updates after a request). */
  async function textOf(l: Locator, check: (text: string) => boolean, what: string): Promise<string> {
    const deadline = Date.now() + 20_000;
    let text = '';
    while (Date.now() < deadline) {
      text =
        (await l
          .first()
          .textContent()
          .catch(() => '')) ?? '';
      if (check(text)) return text;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${what}: last text was ${JSON.stringify(text)}`);
  }
  /** Waits until the named table shows exactly `count` rows of settled data (not the previous filter's, kept on screen while loading). */
  async function rowsOf(tab: ConsoleTab, table: string, count: number): Promise<void> {
    await tab.page.waitForFunction(
      ([name, n]) => {
        const el = document.querySelector(`table[aria-label="${name}"]`);
        return !!el && !el.closest('[aria-busy="true"]') && el.querySelectorAll('tbody tr').length === n;
      },
      [table, count] as const,
    );
  }
  async function openDetail(tab: ConsoleTab, id: string): Promise<void> {
    await tab.go(`/transactions/${id}`);
    await tab.page.getByRole('heading', { name: `Transaction ${id}` }).waitFor();
    await tab.page.getByText('Merchant tx id', { exact: true }).waitFor();
  }
  async function failedDelivery(m: TestMerchant, txId: string, status: 'failed' | 'pending' = 'failed'): Promise<string> {
    const id = newId('whd');
    const now = new Date();
    await t.db.getRepository(WebhookDeliveryEntity).insert({
      id,
      eventId: newId('evt'),
      outboxId: String(Date.now() * 1000 + Math.floor(Math.random() * 1000)),
      merchantId: m.id,
      transactionId: txId,
      type: 'transaction.status_changed',
      payload: { transaction: { id: txId } },
      status,
      attemptCount: 3,
      scheduleStep: 3,
      nextAttemptAt: status === 'pending' ? now : null,
      lastAttemptAt: now,
      lastStatusCode: 503,
      lastError: 'HTTP 503',
      url: 'https://merchant.example/hooks',
      deliveredAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await t.db.getRepository(WebhookAttemptEntity).insert({
      deliveryId: id,
      attemptNo: 3,
      kind: 'auto',
      url: 'https://merchant.example/hooks',
      outcome: 'http_error' as never,
      statusCode: 503,
      latencyMs: 12,
      responseExcerpt: 'down',
      error: null,
      createdAt: now,
    });
    return id;
  }

  describe('sign in and out', () => {
    it('signs in with email and password, shows the navigation, signs out with a message; a wrong password is refused', async () => {
      const staff = await t.newStaff(['viewer']);
      const tab = await browser.tab('login');
      await traced('sign in and out', [tab], async () => {
        const { page } = tab;
        await tab.screenshot('login');
        await page.getByLabel('Email', { exact: true }).fill(staff.email);
        await page.getByLabel('Password', { exact: true }).fill('wrong-password-1');
        await button(tab, 'Sign in').click();
        await textOf(page.getByRole('alert'), (x) => x.includes('Email or password is wrong'), 'wrong password alert');
        await page.getByLabel('Password', { exact: true }).fill(staff.password);
        await button(tab, 'Sign in').click();
        await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
        const nav = page.getByRole('navigation', { name: 'Main' });
        for (const name of ['Dashboard', 'Transactions', 'Payouts', 'Webhooks', 'Audit log']) await expectVisible(nav.getByRole('link', { name, exact: true }));
        await button(tab, 'Sign out').click();
        await textOf(page.getByRole('status'), (x) => x.includes('You have signed out'), 'signed-out message');
        // The token was ended on the server, not only forgotten by the page.
        const ended = await t.db.query('SELECT end_reason FROM staff_sessions WHERE staff_id = ? AND ended_at IS NOT NULL', [staff.id]);
        expect(ended).toHaveLength(1);
        expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain('phs_');
      });
      await tab.context.close();
    });

    it('asks for the second factor when the account has TOTP, and opens with the code', async () => {
      const staff = await t.newStaff(['viewer']);
      const enrol = await staff.bo.post('/backoffice/auth/totp/enrol');
      expect(enrol.status).toBe(200);
      expect((await staff.bo.post('/backoffice/auth/totp/confirm', { code: totpCode(enrol.body.secret, totpStep()) })).status).toBe(204);
      const tab = await browser.tab('totp');
      await traced('second factor', [tab], async () => {
        const { page } = tab;
        await page.getByLabel('Email', { exact: true }).fill(staff.email);
        await page.getByLabel('Password', { exact: true }).fill(staff.password);
        await button(tab, 'Sign in').click();
        const code = page.getByLabel('Authentication code', { exact: true });
        await code.waitFor();
        await tab.screenshot('login-second-factor');
        await code.fill(totpCode(enrol.body.secret, totpStep() + 1));
        await button(tab, 'Sign in').click();
        await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      });
      await tab.context.close();
    });

    it('says so when the server ends the session (here: an admin changes the password)', async () => {
      const staff = await t.newStaff(['viewer']);
      const tab = await browser.tab('ended');
      await traced('session ended', [tab], async () => {
        await tab.signIn(staff.email, staff.password);
        expect((await admin.bo.patch(`/backoffice/staff/${staff.id}`, { password: `new-${randomToken(12)}` })).status).toBe(200);
        await tab.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transactions' }).click();
        await textOf(tab.page.getByRole('status'), (x) => x.includes('Your session has ended'), 'session-ended message');
        await tab.page.getByLabel('Email', { exact: true }).waitFor();
      });
      await tab.context.close();
    });

    it('is keyboard navigable: Tab through the login form, Enter signs in, Tab reaches the navigation', async () => {
      const staff = await t.newStaff(['viewer']);
      const tab = await browser.tab('keyboard');
      await traced('keyboard', [tab], async () => {
        const { page } = tab;
        await page.getByLabel('Email', { exact: true }).focus();
        await page.keyboard.type(staff.email);
        await page.keyboard.press('Tab');
        await page.keyboard.type(staff.password);
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
        const focused: string[] = [];
        for (let i = 0; i < 4; i++) {
          await page.keyboard.press('Tab');
          focused.push(await page.evaluate(() => document.activeElement?.textContent ?? ''));
        }
        expect(focused).toEqual(expect.arrayContaining(['Dashboard', 'Transactions', 'Payouts']));
        for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.textContent)) !== 'Transactions'; i++)
          await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name: 'Transactions' }).waitFor();
      });
      await tab.context.close();
    });
  });

  describe('dashboard', () => {
    it('shows the counts that need attention, each a link to its filtered list, and the last 24 h by provider', async () => {
      const inconsistent = await pay(merchant, { amount: 150002 });
      expect(inconsistent.status).toBe('INCONSISTENT');
      await pay(merchant, { amount: 150004 });
      const tab = tabs.viewer;
      await traced('dashboard', [tab], async () => {
        await tab.go('/audit-log');
        await tab.go('/');
        const { page } = tab;
        await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
        await page.getByRole('table', { name: 'Volume by provider and status' }).waitFor();
        await expectVisible(page.getByRole('table', { name: 'Success rate by provider and method' }));
        await tab.screenshot('dashboard');
        await page.getByRole('link', { name: /INCONSISTENT$/ }).click();
        await page.getByRole('heading', { name: 'Transactions' }).waitFor();
        await expectVisible(page.getByRole('link', { name: inconsistent.id }));
        expect(await page.getByRole('form', { name: 'Filters' }).getByLabel('Status', { exact: true }).inputValue()).toBe('INCONSISTENT');
      });
    });
  });

  describe('transactions', () => {
    it('searches by merchantTxId, filters, pages by cursor, chooses columns, saves a view and exports the whole filtered result as CSV', async () => {
      const m = await t.newMerchant(`pages-${randomToken(4)}`);
      await routeWithCurrencies(m.id, TEST_PROVIDER);
      const made: Array<{ id: string; merchantTxId: string }> = [];
      for (let i = 0; i < 27; i++) made.push(await pay(m, { amount: 100004 + i * 100, userId: `u-${i % 3}` }));
      const tab = tabs.viewer;
      await traced('transactions', [tab], async () => {
        const { page } = tab;
        await tab.go(`/transactions?merchantId=${m.id}`);
        await textOf(page.getByText(/^Page \d+$/), (x) => x === 'Page 1', 'page 1');
        await rowsOf(tab, 'Transactions', 25);
        await tab.screenshot('transactions');
        await button(tab, 'Next page').click();
        await textOf(page.getByText(/^Page \d+$/), (x) => x === 'Page 2', 'page 2');
        await rowsOf(tab, 'Transactions', 2);
        await expectVisible(page.getByRole('link', { name: made[0].id }));
        expect(await button(tab, 'Next page').isDisabled()).toBe(true);
        await button(tab, 'Previous page').click();
        await expectVisible(page.getByRole('link', { name: made[26].id }));

        // The search box: one value against payhub id, merchantTxId, provider id and user id.
        await page.getByRole('searchbox', { name: 'Search' }).fill(made[5].merchantTxId);
        await button(tab, 'Apply filters').click();
        await rowsOf(tab, 'Transactions', 1);
        await expectVisible(page.getByRole('link', { name: made[5].id }));

        // Filters combine: this merchant, user u-1, an amount range in major units of UAH.
        await page.getByRole('searchbox', { name: 'Search' }).fill('');
        await page.getByRole('textbox', { name: 'Currency' }).fill('UAH');
        await page.getByRole('textbox', { name: 'Amount from' }).fill('1,010.04');
        await page.getByRole('textbox', { name: 'Amount to' }).fill('1012.04');
        await button(tab, 'Apply filters').click();
        await rowsOf(tab, 'Transactions', 3);
        expect(page.url()).toContain('amountMin=101004');
        expect(page.url()).toContain('amountMax=101204');

        // Column chooser: the User column appears.
        await page.getByText('Columns', { exact: true }).click();
        await page.getByRole('checkbox', { name: 'User', exact: true }).check();
        await expectVisible(page.getByRole('columnheader', { name: 'User' }));

        // Saved view: stored in this browser, reopened with its filters.
        await page.getByText('Saved views', { exact: true }).click();
        await page.getByLabel('View name', { exact: true }).fill('amounts 1010-1012');
        await button(tab, 'Save view').click();
        await page.getByRole('textbox', { name: 'Currency' }).fill('');
        await page.getByRole('textbox', { name: 'Amount from' }).fill('');
        await page.getByRole('textbox', { name: 'Amount to' }).fill('');
        await button(tab, 'Apply filters').click();
        await rowsOf(tab, 'Transactions', 25);
        await button(tab, 'Open view amounts 1010-1012').click();
        await rowsOf(tab, 'Transactions', 3);
        await button(tab, 'Delete view amounts 1010-1012').click();
        await expectAbsent(button(tab, 'Open view amounts 1010-1012'));
        expect(await page.evaluate(() => Object.keys(localStorage).join(','))).not.toMatch(/token/i);

        // CSV export: every page of the filtered result, not only the one shown.
        await button(tab, 'Clear filters').click();
        await tab.go(`/transactions?merchantId=${m.id}`);
        await rowsOf(tab, 'Transactions', 25);
        const [download] = await Promise.all([page.waitForEvent('download'), button(tab, 'Export CSV').click()]);
        const csv = readFileSync(await download.path(), 'utf8')
          .trim()
          .split('\r\n');
        expect(csv[0]).toMatch(/^id,merchantId,merchantTxId/);
        expect(csv.length).toBe(1 + 27);
        expect(new Set(csv.slice(1).map((l) => l.split(',')[0]))).toEqual(new Set(made.map((x) => x.id)));
      });
    });

    it('shows empty and error states', async () => {
      const tab = tabs.viewer;
      await traced('empty and error states', [tab], async () => {
        await tab.go('/transactions?merchantTxId=does-not-exist-anywhere');
        await tab.go(`/transactions?q=nothing-${randomToken(6)}`);
        await textOf(tab.page.getByText('No transactions match these filters.'), (x) => x.length > 0, 'empty state');
        await tab.go(`/transactions/tx_${'0'.repeat(26)}`);
        await textOf(tab.page.getByRole('alert'), (x) => x.includes('Could not load'), 'error state');
        await expectVisible(button(tab, 'Try again'));
      });
    });
  });

  describe('transaction detail', () => {
    it('merges status changes, provider exchanges, callbacks, webhook attempts and staff actions into one timeline', async () => {
      const tx = await pay(merchant, { amount: 160000 });
      const raw = JSON.stringify({ txId: tx.id, eventId: `c-${tx.id}`, status: 'SUCCESSFUL' });
      await t.http.post(`/callbacks/testpay/${tx.id}`, raw, { 'content-type': 'application/json', 'x-testpay-signature': signTestpay(raw, 'k-123456') });
      await failedDelivery(merchant, tx.id);
      const tab = tabs.operator;
      await traced('timeline', [tab], async () => {
        await openDetail(tab, tx.id);
        const timeline = tab.page.getByRole('list', { name: 'Timeline' });
        await textOf(timeline, (x) => x.includes('callback from testpay') && x.includes('webhook attempt 3') && x.includes('→ SUCCESSFUL'), 'timeline entries');
        await button(tab, 'Check status').click();
        await textOf(tab.page.getByRole('status'), (x) => x.includes('Status check'), 'status check notice');
        await textOf(timeline, (x) => x.includes('transaction.check_status'), 'staff action in the timeline');
        await tab.screenshot('transaction-detail');
      });
    });

    it('refunds partially in major units of 0-, 2-, 3- and 8-decimal currencies, sent as minor units, with the refundable amount shown', async () => {
      const cases = [
        { currency: 'JPY', amount: 150004, shown: '150,004 JPY', bad: '1.5', badText: 'JPY has no decimals', refund: '100', minor: 100, left: '149,904 JPY' },
        {
          currency: 'USD',
          amount: 150004,
          shown: '1,500.04 USD',
          bad: '1.005',
          badText: 'USD has at most 2 decimals',
          refund: '10.5',
          minor: 1050,
          left: '1,489.54 USD',
        },
        {
          currency: 'KWD',
          amount: 150004,
          shown: '150.004 KWD',
          bad: '1.0005',
          badText: 'KWD has at most 3 decimals',
          refund: '1.5',
          minor: 1500,
          left: '148.504 KWD',
        },
        {
          currency: 'BTC',
          amount: 150004,
          shown: '0.00150004 BTC',
          bad: '0.000000001',
          badText: 'BTC has at most 8 decimals',
          refund: '0.0005',
          minor: 50000,
          left: '0.00100004 BTC',
        },
      ];
      const tab = tabs.operator;
      for (const c of cases) {
        const tx = await pay(merchant, { amount: c.amount, currency: c.currency });
        expect(tx.status).toBe('SUCCESSFUL');
        await traced(`refund ${c.currency}`, [tab], async () => {
          const { page } = tab;
          await openDetail(tab, tx.id);
          await textOf(page.getByTestId('refundable'), (x) => x === c.shown, `${c.currency} refundable`);
          await button(tab, 'Refund').click();
          const dialog = page.getByRole('dialog', { name: 'Refund' });
          await dialog.getByLabel('Amount', { exact: true }).fill(c.bad);
          await dialog.getByRole('button', { name: 'Confirm refund' }).click();
          await textOf(dialog.getByRole('alert'), (x) => x.includes(c.badText), `${c.currency} decimals refused`);
          if (c.currency === 'KWD') await tab.screenshot('refund-dialog');
          await dialog.getByLabel('Amount', { exact: true }).fill(c.refund);
          await dialog.getByRole('button', { name: 'Confirm refund' }).click();
          await textOf(page.getByTestId('refundable'), (x) => x === c.left, `${c.currency} refundable after the refund`);
        });
        const [child] = (await t.db.query('SELECT amount, status FROM transactions WHERE parent_id = ?', [tx.id])) as Array<{ amount: string; status: string }>;
        expect({ amount: Number(child.amount), status: child.status }).toEqual({ amount: c.minor, status: 'SUCCESSFUL' });
      }
    });

    it('reverses a deposit where the provider supports it; closes a dialog with Escape', async () => {
      const tx = await pay(other, { amount: 170004 });
      expect(tx.status).toBe('SUCCESSFUL');
      const tab = tabs.operator;
      await traced('reverse', [tab], async () => {
        const { page } = tab;
        await openDetail(tab, tx.id);
        await button(tab, 'Reverse').click();
        await page.getByRole('dialog', { name: 'Reverse' }).waitFor();
        await page.keyboard.press('Escape');
        await page.getByRole('dialog', { name: 'Reverse' }).waitFor({ state: 'detached' });
        await button(tab, 'Reverse').click();
        const dialog = page.getByRole('dialog', { name: 'Reverse' });
        await dialog.getByLabel('Reason', { exact: true }).fill('customer asked');
        await dialog.getByRole('button', { name: 'Confirm reversal' }).click();
        await textOf(page.getByRole('status'), (x) => x.includes('Reversal'), 'reversal notice');
      });
      const [child] = await t.db.query('SELECT tx_type, amount FROM transactions WHERE parent_id = ?', [tx.id]);
      expect({ txType: child.tx_type, amount: Number(child.amount) }).toEqual({ txType: 'Reversal', amount: 170004 });
    });

    it('forces status with a reason, FAILED and SUCCESSFUL only through INCONSISTENT (admin)', async () => {
      const tx = await pay(merchant, { amount: 180002 });
      expect(tx.status).toBe('INCONSISTENT');
      const tab = tabs.admin;
      await traced('force status', [tab], async () => {
        const { page } = tab;
        await openDetail(tab, tx.id);
        await button(tab, 'Force status').click();
        const dialog = page.getByRole('dialog', { name: 'Force status' });
        await dialog.getByLabel('New status', { exact: true }).selectOption('FAILED');
        await dialog.getByLabel('Reason', { exact: true }).fill('provider confirms it never arrived');
        await dialog.getByRole('button', { name: 'Confirm force status' }).click();
        await textOf(page.getByRole('status'), (x) => x.includes('Status forced to FAILED'), 'forced notice');
        await button(tab, 'Force status').click();
        const options = await page.getByRole('dialog', { name: 'Force status' }).getByLabel('New status', { exact: true }).locator('option').allTextContents();
        expect(options).toEqual(['INCONSISTENT']);
        await tab.screenshot('force-status-dialog');
        await page.keyboard.press('Escape');
      });
      expect((await stored(tx.id)).status).toBe('FAILED');
    });

    it('resends a webhook of the transaction (operator)', async () => {
      const tx = await pay(merchant, { amount: 190004 });
      const delivery = await failedDelivery(merchant, tx.id);
      const tab = tabs.operator;
      await traced('resend webhook from detail', [tab], async () => {
        await openDetail(tab, tx.id);
        await button(tab, 'Resend webhook').click();
        await textOf(tab.page.getByRole('status'), (x) => x.includes('Webhook queued'), 'resend notice');
      });
      expect((await t.db.getRepository(WebhookDeliveryEntity).findOneByOrFail({ id: delivery })).status).toBe('pending');
    });

    it('shows no action to a viewer, and only the actions of their role to an operator and an approver', async () => {
      const ok = await pay(merchant, { amount: 200004 });
      const broken = await pay(merchant, { amount: 200002 });
      await failedDelivery(merchant, ok.id);
      const actions = ['Refund', 'Reverse', 'Force status', 'Check status', 'Resend webhook'];
      await traced('detail controls by role', [tabs.viewer, tabs.operator, tabs.approver], async () => {
        for (const name of ['viewer', 'approver']) {
          await openDetail(tabs[name], ok.id);
          await tabs[name].page.getByRole('list', { name: 'Timeline' }).waitFor();
          for (const action of actions) await expectAbsent(button(tabs[name], action));
        }
        await openDetail(tabs.operator, broken.id);
        await expectVisible(button(tabs.operator, 'Check status'));
        await expectAbsent(button(tabs.operator, 'Force status'));
        await openDetail(tabs.admin, ok.id);
        await expectVisible(button(tabs.admin, 'Refund'));
      });
    });
  });

  describe('payouts', () => {
    it("approves and declines in bulk, oldest first, with a reason for declines; one's own payouts are not approvable", async () => {
      const m = await t.newMerchant(`payouts-${randomToken(4)}`);
      await routeWithCurrencies(m.id, TEST_PROVIDER);
      const made: string[] = [];
      for (let i = 0; i < 4; i++) made.push((await m.api.post('/v1/withdrawals', withdrawal({ amount: 150000 + i * 100 }))).body.id);
      const own = await opApprover.bo.post('/backoffice/withdrawals', { merchantId: m.id, ...withdrawal({ amount: 160000 }) });
      expect(own.status).toBe(201);
      const tab = tabs.opApprover;
      await traced('payouts', [tab], async () => {
        const { page } = tab;
        await tab.go('/payouts');
        await page
          .getByRole('region', { name: /Waiting for approval/ })
          .getByLabel('Merchant', { exact: true })
          .fill(m.id);
        const table = page.getByRole('table', { name: 'Payouts waiting for approval' });
        await rowsOf(tab, 'Payouts waiting for approval', 5);
        await table.getByRole('link', { name: own.body.id }).waitFor();
        const ids = await table.locator('tbody tr td:nth-child(2)').allTextContents();
        const ours = ids.filter((id) => [...made, own.body.id].includes(id));
        expect(ours).toEqual([...made, own.body.id]);
        const ownRow = table.locator('tr', { has: page.getByRole('link', { name: own.body.id }) });
        await expectAbsent(ownRow.getByRole('button', { name: 'Approve' }));
        expect(await ownRow.getByRole('checkbox').isDisabled()).toBe(true);
        await textOf(ownRow, (x) => x.includes('Your payout'), 'own payout marked');
        await tab.screenshot('payouts');

        await page.getByRole('checkbox', { name: `Select ${made[0]}` }).check();
        await page.getByRole('checkbox', { name: `Select ${made[1]}` }).check();
        await button(tab, 'Approve selected (2)').click();
        await textOf(page.getByRole('status'), (x) => x.includes(`${made[1]}: approved`), 'bulk approve');
        await page.getByRole('checkbox', { name: `Select ${made[2]}` }).check();
        await button(tab, 'Decline selected (1)').click();
        const dialog = page.getByRole('dialog', { name: 'Decline payout' });
        await dialog.getByRole('button', { name: 'Confirm decline' }).click();
        await textOf(dialog.getByRole('alert'), (x) => x.includes('reason'), 'reason required');
        await dialog.getByLabel('Reason', { exact: true }).fill('account holder mismatch');
        await dialog.getByRole('button', { name: 'Confirm decline' }).click();
        await textOf(page.getByRole('status'), (x) => x.includes(`${made[2]}: declined`), 'bulk decline');
        const row = table.locator('tr', { has: page.getByRole('link', { name: made[3] }) });
        await row.getByRole('button', { name: 'Decline' }).click();
        await page.getByRole('dialog', { name: 'Decline payout' }).getByLabel('Reason', { exact: true }).fill('duplicate request');
        await page.getByRole('dialog', { name: 'Decline payout' }).getByRole('button', { name: 'Confirm decline' }).click();
        await textOf(page.getByRole('status'), (x) => x.includes(`${made[3]}: declined`), 'row decline');
      });
      expect((await stored(made[0])).status).toBe('REGISTERED');
      expect((await stored(made[1])).status).toBe('REGISTERED');
      expect((await stored(made[2])).status).toBe('CANCELLED');
      expect((await stored(made[3])).failure).toMatchObject({ code: 'DECLINED_BY_STAFF' });
      expect((await stored(own.body.id)).status).toBe('WAITING_APPROVAL');
    });

    it('creates a manual withdrawal in major units (operator); it waits for approval by someone else', async () => {
      const tab = tabs.operator;
      const merchantTxId = `manual-${randomToken(6)}`;
      await traced('manual withdrawal', [tab], async () => {
        const { page } = tab;
        await tab.go('/payouts');
        const form = page.getByRole('form', { name: 'Manual withdrawal' });
        await form.getByLabel('Merchant', { exact: true }).fill(merchant.id);
        await form.getByLabel('User id', { exact: true }).fill('user-77');
        await form.getByLabel('Merchant tx id', { exact: true }).fill(merchantTxId);
        await form.getByLabel('Withdrawal type', { exact: true }).selectOption('BankLocalWithdrawal');
        await form.getByLabel('Withdrawal amount', { exact: true }).fill('12.345');
        await form.getByLabel('Withdrawal currency', { exact: true }).fill('KWD');
        await form.getByLabel('Bank account number', { exact: true }).fill('1234567890');
        await tab.screenshot('manual-withdrawal');
        await button(tab, 'Create withdrawal').click();
        await textOf(page.getByRole('status'), (x) => x.includes('WAITING_APPROVAL'), 'created notice');
      });
      const [row] = await t.db.query('SELECT amount, currency, status, created_by FROM transactions WHERE merchant_id = ? AND merchant_tx_id = ?', [
        merchant.id,
        merchantTxId,
      ]);
      expect({ amount: Number(row.amount), currency: row.currency, status: row.status, createdBy: row.created_by }).toEqual({
        amount: 12345,
        currency: 'KWD',
        status: 'WAITING_APPROVAL',
        createdBy: operator.id,
      });
    });

    it('confirms a pending maker-checker change as a second admin; the proposer sees no confirm button', async () => {
      const proposal = await admin.bo.put(`/backoffice/merchants/${other.id}/payout-auto-approve`, { rules: [{ currency: 'USD', below: 5000 }] });
      expect(proposal.status).toBe(202);
      await traced('pending changes', [tabs.admin, tabs.admin2], async () => {
        await tabs.admin.go('/payouts');
        const mine = tabs.admin.page.getByRole('list', { name: 'Pending changes' }).locator('li', { hasText: 'Your proposal' });
        await expectVisible(mine);
        await tabs.admin2.go('/payouts');
        const list = tabs.admin2.page.getByRole('list', { name: 'Pending changes' });
        await list.waitFor();
        await tabs.admin2.screenshot('pending-changes');
        const item = list.locator('li', { hasText: admin.email }).first();
        await item.getByRole('button', { name: 'Confirm change' }).click();
        await textOf(tabs.admin2.page.getByRole('status'), (x) => x.includes('confirmed'), 'confirmed notice');
      });
      const rules = await viewer.bo.get(`/backoffice/merchants/${other.id}/payout-auto-approve`);
      expect(rules.body.rules).toEqual([expect.objectContaining({ currency: 'USD', below: 5000 })]);
    });

    it('lets the proposer withdraw a pending change', async () => {
      const proposal = await admin.bo.put(`/backoffice/merchants/${other.id}/payout-auto-approve`, { rules: [{ currency: 'USD', below: 9000 }] });
      expect(proposal.status).toBe(202);
      await traced('withdraw change', [tabs.admin], async () => {
        await tabs.admin.go('/payouts');
        await tabs.admin.go('/');
        await tabs.admin.go('/payouts');
        const item = tabs.admin.page.getByRole('list', { name: 'Pending changes' }).locator('li', { hasText: '9000' });
        await item.getByRole('button', { name: 'Withdraw change' }).click();
        await textOf(tabs.admin.page.getByRole('status'), (x) => x.includes('rejected'), 'withdrawn notice');
      });
      expect((await admin.bo.get(`/backoffice/pending-changes/${proposal.body.id}`)).body.status).toBe('rejected');
    });

    it('shows a viewer and an operator no approve, decline or bulk control; a viewer no withdrawal form; only admins the pending changes', async () => {
      await m_withdrawal();
      await traced('payout controls by role', [tabs.viewer, tabs.operator], async () => {
        for (const name of ['viewer', 'operator']) {
          const tab = tabs[name];
          await tab.go('/payouts');
          await tab.page.getByRole('table', { name: 'Payouts waiting for approval' }).waitFor();
          for (const action of ['Approve', 'Decline']) await expectAbsent(button(tab, action));
          await expectAbsent(tab.page.getByRole('button', { name: /selected/ }));
          await expectAbsent(tab.page.getByRole('heading', { name: /Pending changes/ }));
        }
        await expectAbsent(tabs.viewer.page.getByRole('form', { name: 'Manual withdrawal' }));
        await expectVisible(tabs.operator.page.getByRole('form', { name: 'Manual withdrawal' }));
      });
    });
    const m_withdrawal = async () => {
      const res = await merchant.api.post('/v1/withdrawals', withdrawal({ amount: 170000 }));
      expect(res.status).toBe(201);
    };
  });

  describe('webhooks', () => {
    it('lists failed and retrying deliveries, resends one, resends every failed one of a merchant (operator); a viewer gets no control', async () => {
      const m = await t.newMerchant(`hooks-${randomToken(4)}`);
      await routeWithCurrencies(m.id, TEST_PROVIDER);
      const txs = [await pay(m, { amount: 110004 }), await pay(m, { amount: 120004 }), await pay(m, { amount: 130004 })];
      const failed = [await failedDelivery(m, txs[0].id), await failedDelivery(m, txs[1].id), await failedDelivery(m, txs[2].id)];
      const retrying = await failedDelivery(m, txs[2].id, 'pending');
      const tab = tabs.operator;
      await traced('webhooks', [tab, tabs.viewer], async () => {
        const { page } = tab;
        await tab.go('/webhooks');
        await page.getByLabel('Merchant', { exact: true }).fill(m.id);
        const table = page.getByRole('table', { name: 'Webhook deliveries' });
        await rowsOf(tab, 'Webhook deliveries', 3);
        await table.getByText(failed[2]).waitFor();
        await tab.screenshot('webhooks');
        await table.getByRole('button', { name: `Resend ${failed[0]}` }).click();
        await textOf(page.getByRole('status'), (x) => x.includes(`Delivery ${failed[0]} queued`), 'resend one');
        await button(tab, 'Resend all failed of this merchant').click();
        await textOf(page.getByRole('status'), (x) => x.includes('2 failed webhooks queued'), 'resend all failed');
        await page.getByRole('radio', { name: 'Retrying and waiting' }).check();
        await table.getByText(retrying).waitFor();

        await tabs.viewer.go('/webhooks');
        await tabs.viewer.page.getByText('Webhook deliveries are for operators').waitFor();
        await expectAbsent(tabs.viewer.page.getByRole('button', { name: /Resend/ }));
      });
      const statuses = await t.db.getRepository(WebhookDeliveryEntity).findBy(failed.map((id) => ({ id })));
      expect(statuses.map((d) => d.status)).toEqual(['pending', 'pending', 'pending']);
    });
  });

  describe('audit log', () => {
    it('filters by actor and action, shows before and after, exports CSV', async () => {
      const tx = await pay(merchant, { amount: 210002 });
      const forced = await admin.bo.post(`/backoffice/transactions/${tx.id}/force-status`, { status: 'FAILED', reason: 'audit screen test' });
      expect(forced.status).toBe(200);
      const tab = tabs.viewer;
      await traced('audit log', [tab], async () => {
        const { page } = tab;
        await tab.go('/audit-log');
        await page.getByLabel('Actor', { exact: true }).fill(admin.id);
        await page.getByLabel('Action', { exact: true }).fill('transaction.force_status');
        await page.getByLabel('Target id', { exact: true }).fill(tx.id);
        await button(tab, 'Apply filters').click();
        const table = page.getByRole('table', { name: 'Audit entries' });
        await rowsOf(tab, 'Audit entries', 1);
        await table.getByText('audit screen test').waitFor();
        await table.locator('summary').click();
        await textOf(table.locator('pre').first(), (x) => x.includes('INCONSISTENT'), 'before shows INCONSISTENT');
        await textOf(table.locator('pre').nth(1), (x) => x.includes('FAILED'), 'after shows FAILED');
        await tab.screenshot('audit-log');
        const [download] = await Promise.all([page.waitForEvent('download'), button(tab, 'Export CSV').click()]);
        const csv = readFileSync(await download.path(), 'utf8')
          .trim()
          .split('\r\n');
        expect(csv[0]).toBe('id,at,actorId,actorEmail,action,targetType,targetId,reason,before,after,requestId');
        expect(csv).toHaveLength(2);
        expect(csv[1]).toContain('audit screen test');
      });
    });
  });
});
