import Bull from 'bull';
import { AuditLogEntity } from '@payhub/backoffice';
import { JOBS, QUEUES } from '@payhub/common';
import { ReconciliationReportService, StatusCheckEntity } from '@payhub/reconciliation';
import { TransactionStateService, TxStatus } from '@payhub/transactions';
import type { Locator } from 'playwright-core';
import { buildConsole, ConsoleBrowser, ConsoleTab, traced } from './support/console-browser';
import { HttpClient } from './support/http-client';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { TestApp } from './support/test-app';
import { TEST_PROVIDER } from './support/test-provider';
import { waitFor } from './support/webhook-endpoint';
import { transactionThrough } from './support/webhook-fixtures';

type Staff = { id: string; email: string; password: string; bo: HttpClient };
const DAY_MS = 24 * 3600 * 1000;
const utcDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);

/**
 * The Reconciliation and Queues screens in the OS Chromium against the real api, MySQL and Redis: reports
 * and their mismatches by kind linked to the transactions, a report run now (the job the worker runs),
 * the status-sync backlog; queue depths and failed jobs retried or discarded by an admin, audited.
 */
describe('console (browser): reconciliation and queues', () => {
  let t: TestApp;
  let browser: ConsoleBrowser;
  let viewer: Staff, operator: Staff, admin: Staff;
  let reports: Bull.Queue;
  let maintenance: Bull.Queue;
  /** A stand-in worker's runs per job id: a job fails while its data says so. */
  const runs = new Map<string, number>();
  const tabs: Record<string, ConsoleTab> = {};

  beforeAll(async () => {
    await buildConsole();
    // Its own database and so its own queue prefix: the backlog, the reports and the queue depths are this spec's alone.
    t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('console_operations') } });
    browser = await ConsoleBrowser.launch(`http://127.0.0.1:${t.config.port}`);
    reports = new Bull(QUEUES.reports, t.config.redisUrl, { prefix: t.config.queuePrefix });
    maintenance = new Bull(QUEUES.maintenance, t.config.redisUrl, { prefix: t.config.queuePrefix });
    // Stand-in workers: the report job through the real report service, as apps/worker's processor does.
    const service = t.app.get(ReconciliationReportService);
    void reports.process(JOBS.dailyReport, (job: Bull.Job<{ date: string }>) => service.runDaily(job.data.date));
    void maintenance.process('*', async (job: Bull.Job<{ failTimes?: number }>) => {
      const n = (runs.get(String(job.id)) ?? 0) + 1;
      runs.set(String(job.id), n);
      if (n <= (job.data.failTimes ?? 0)) throw new Error(`refused on run ${n}`);
      return { ok: true };
    });
    [viewer, operator, admin] = await Promise.all([t.newStaff(['viewer']), t.newStaff(['operator']), t.newStaff(['admin'])]);
    for (const [name, staff] of Object.entries({ viewer, operator, admin })) {
      tabs[name] = await browser.tab(name);
      await tabs[name].signIn(staff.email, staff.password);
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await reports?.close();
    await maintenance?.close();
    await t?.close();
  });

  const button = (scope: ConsoleTab | Locator, name: string) => (scope instanceof ConsoleTab ? scope.page : scope).getByRole('button', { name, exact: true });
  const expectAbsent = async (l: Locator) => expect(await l.count()).toBe(0);
  const audits = (action: string, targetId: string) => t.db.getRepository(AuditLogEntity).find({ where: { action, targetId } });
  async function open(tab: ConsoleTab, path: string, heading: string): Promise<void> {
    await tab.go(path);
    await tab.page.getByRole('heading', { name: heading, exact: true }).waitFor();
  }
  /** The dd after a dt in the backlog's description list. */
  const fact = (tab: ConsoleTab, term: string) => tab.page.locator(`dl[aria-label="Status-sync backlog"] dt:text-is("${term}") + dd`);
  /**
   * A fact once it reads `expected`. Coming back to the screen shows the backlog cached from the last visit until
   * its refetch answers (no timing is assumed: the wait ends at the answer, or fails with the last text seen).
   */
  async function factOnceItReads(tab: ConsoleTab, term: string, expected: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    let text: string | null = null;
    while (Date.now() < deadline) {
      text = await fact(tab, term)
        .textContent({ timeout: 5_000 })
        .catch(() => null);
      if (text === expected) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toBe(expected);
  }

  describe('reconciliation', () => {
    let merchantId: string;
    let paidId: string;
    let pendingId: string;

    beforeAll(async () => {
      merchantId = (await t.newMerchant()).id;
      await t.routeAllTo(merchantId);
      const state = t.app.get(TransactionStateService);
      paidId = (await transactionThrough(state, merchantId, [TxStatus.REGISTERED, TxStatus.SUCCESSFUL], { provider: TEST_PROVIDER })).id;
      pendingId = (await transactionThrough(state, merchantId, [TxStatus.REGISTERED, TxStatus.PROCESSING], { provider: TEST_PROVIDER })).id;
      const provider = t.testProvider;
      provider.balances = [{ currency: 'EUR', amount: 1500n }];
      provider.reported = [
        { txId: paidId, providerTxId: null, status: TxStatus.SUCCESSFUL, amount: 1000n, currency: 'EUR' },
        { txId: pendingId, providerTxId: null, status: TxStatus.FAILED, amount: 1000n, currency: 'EUR' },
        { txId: null, providerTxId: 'tp-unknown-9', status: TxStatus.SUCCESSFUL, amount: 70050n, currency: 'EUR' },
      ];
      await t.app.get(ReconciliationReportService).runDaily(utcDay());
    });

    it('viewers read reports and their mismatches by kind, each linked to its transaction; no run control', async () => {
      const tab = tabs.viewer;
      await traced('reconciliation as viewer', [tab], async () => {
        const { page } = tab;
        await open(tab, '/reconciliation', 'Reconciliation');
        await expectAbsent(button(tab, 'Run report now'));
        await expectAbsent(page.getByLabel('Day (UTC)'));
        await page.getByLabel('Merchant', { exact: true }).fill(merchantId);
        await page.getByLabel('Report status').selectOption('mismatch');
        const row = page.getByRole('table', { name: 'Reconciliation reports' }).getByRole('row').filter({ hasText: merchantId });
        await row.getByText('mismatch', { exact: true }).waitFor();
        const summary = row.locator('summary');
        expect(await summary.textContent()).toBe('3 mismatches: Status differs 1, Missing in payhub 1, Balance differs 1');
        await summary.click();
        const statusKind = row.getByRole('region', { name: `Status differs (${TEST_PROVIDER} ${utcDay()})` });
        expect(await statusKind.textContent()).toContain('PROCESSING in payhub, FAILED at the provider');
        const missing = row.getByRole('region', { name: `Missing in payhub (${TEST_PROVIDER} ${utcDay()})` });
        expect(await missing.textContent()).toContain('provider id tp-unknown-9: SUCCESSFUL at the provider, 700.50 EUR');
        const balance = row.getByRole('region', { name: `Balance differs (${TEST_PROVIDER} ${utcDay()})` });
        expect(await balance.textContent()).toContain('EUR: payhub 10.00 EUR, provider 15.00 EUR');
        await tab.screenshot('reconciliation');
        await statusKind.getByRole('link', { name: pendingId }).click();
        await page.getByRole('heading', { name: `Transaction ${pendingId}` }).waitFor();
      });
    });

    it('an operator runs the report of a chosen day now: queued on the reports queue, audited, and the worker writes it', async () => {
      const tab = tabs.operator;
      const day = utcDay(-2);
      await traced('run a report now', [tab], async () => {
        const { page } = tab;
        await open(tab, '/reconciliation', 'Reconciliation');
        // A day after today is refused in the form, nothing sent.
        await page.getByLabel('Day (UTC)').fill(utcDay(1));
        await button(tab, 'Run report now').click();
        await page.getByRole('alert').filter({ hasText: 'must not be after today' }).waitFor();
        // Too far back: the API's refusal, naming the field.
        await page.getByLabel('Day (UTC)').fill(utcDay(-400));
        await button(tab, 'Run report now').click();
        await page.getByRole('alert').filter({ hasText: '(date must be' }).waitFor();
        expect(await t.db.getRepository(AuditLogEntity).countBy({ action: 'reconciliation_report.run', actorId: operator.id })).toBe(0);

        await page.getByLabel('Day (UTC)').fill(day);
        await button(tab, 'Run report now').click();
        const notice = page.getByRole('status').filter({ hasText: `Queued the report of ${day}` });
        await notice.waitFor();
        await tab.screenshot('reconciliation-run');
        const jobId = /job (\S+) on the reports queue/.exec((await notice.textContent())!)![1];
        expect((await reports.getJob(jobId))?.data).toEqual({ date: day });
        const [audit] = await audits('reconciliation_report.run', day);
        expect(audit).toMatchObject({ actorId: operator.id, after: { date: day, jobId, queue: QUEUES.reports } });

        // The stand-in worker runs the job; the report of that day appears in the list.
        await page.getByLabel('Merchant', { exact: true }).fill(merchantId);
        await page.getByLabel('Report day').fill(day);
        await waitFor(async () => (await reports.getJob(jobId))?.finishedOn, 15000, 'the report job to finish');
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
        await open(tab, '/reconciliation', 'Reconciliation');
        await page.getByLabel('Merchant', { exact: true }).fill(merchantId);
        await page.getByLabel('Report day').fill(day);
        await page.getByRole('table', { name: 'Reconciliation reports' }).getByRole('row').filter({ hasText: day }).first().waitFor();
      });
    });

    it('shows the status-sync backlog: scheduled checks, how many are due, how long the oldest has waited', async () => {
      const tab = tabs.viewer;
      const checks = t.db.getRepository(StatusCheckEntity);
      await checks.clear();
      const now = Date.now();
      const state = t.app.get(TransactionStateService);
      for (const offset of [-2 * 3600_000 - 5 * 60_000, -30_000, 600_000]) {
        const tx = await transactionThrough(state, merchantId, [TxStatus.REGISTERED, TxStatus.PROCESSING], { provider: TEST_PROVIDER });
        const at = new Date(now + offset);
        await checks.insert({
          transactionId: tx.id,
          merchantId,
          provider: TEST_PROVIDER,
          providerAccount: 'DEFAULT',
          step: 1,
          nextCheckAt: at,
          expiresAt: new Date(now + DAY_MS),
          lastCheckedAt: null,
          lastResult: null,
          lastError: null,
          dispatchToken: null,
          createdAt: at,
          updatedAt: at,
        });
      }
      await traced('status-sync backlog', [tab], async () => {
        await tab.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
        await open(tab, '/reconciliation', 'Reconciliation');
        await tab.page.getByRole('heading', { name: 'Status-sync backlog' }).waitFor();
        // One answer fills all three facts: once the count is this test's, the others are of the same answer.
        await factOnceItReads(tab, 'Scheduled checks', '3');
        expect(await fact(tab, 'Due now').textContent()).toBe('2');
        expect(await fact(tab, 'Oldest due check waiting').textContent()).toMatch(/^2 h 5 min \(due \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z\)$/);
      });
    });
  });

  describe('dashboard money', () => {
    it("shows a day's volume beyond 2^53 minor units exactly, formatted from the API's integer text", async () => {
      const m = await t.newMerchant();
      const state = t.app.get(TransactionStateService);
      for (const amount of ['9007199254740991', '6']) {
        const tx = await transactionThrough(state, m.id, [TxStatus.REGISTERED, TxStatus.SUCCESSFUL], { provider: 'testpay-b' });
        await t.db.query("UPDATE transactions SET amount = ?, currency = 'JPY' WHERE id = ?", [amount, tx.id]);
      }
      const tab = tabs.viewer;
      await traced('dashboard beyond 2^53', [tab], async () => {
        await tab.go('/reconciliation');
        await open(tab, '/', 'Dashboard');
        const row = tab.page.getByRole('table', { name: 'Volume by provider and status' }).getByRole('row').filter({ hasText: 'testpay-b' });
        // 2^53 + 5: a double would show …996.
        await row.getByText('9,007,199,254,740,997 JPY', { exact: true }).waitFor();
      });
    });
  });

  describe('queues', () => {
    const failedJob = async (failTimes = 1) => {
      const job = await maintenance.add('hand-made', { failTimes }, { attempts: 1, removeOnFail: false, removeOnComplete: false });
      await waitFor(async () => (await job.getState()) === 'failed', 10000, 'the job to fail');
      return String(job.id);
    };

    it('is for admins: no Queues link and no controls for viewers and operators', async () => {
      await traced('queues hidden', [tabs.viewer, tabs.operator], async () => {
        for (const tab of [tabs.viewer, tabs.operator]) {
          await expectAbsent(tab.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queues' }));
          await open(tab, '/queues', 'Queues');
          await tab.page.getByText('The queues are for admins.').waitFor();
          await expectAbsent(tab.page.getByRole('table', { name: 'Queues' }));
          await expectAbsent(button(tab, 'Retry'));
        }
      });
    });

    it('an admin sees depth and failed jobs per queue, retries one (it runs again) and discards another; both audited', async () => {
      const retried = await failedJob(1);
      const discarded = await failedJob(5);
      const tab = tabs.admin;
      await traced('queues as admin', [tab], async () => {
        const { page } = tab;
        await tab.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queues' }).click();
        await page.getByRole('heading', { name: 'Queues', exact: true }).waitFor();
        const row = page.getByRole('table', { name: 'Queues' }).getByRole('row', { name: new RegExp(`^${QUEUES.maintenance}\\b`) });
        await row.waitFor();
        const headers = await page.getByRole('table', { name: 'Queues' }).getByRole('columnheader').allTextContents();
        const failedAt = headers.indexOf('Failed');
        expect(await row.locator('th, td').nth(failedAt).textContent()).toBe('2');
        await button(row, `Show failed jobs of ${QUEUES.maintenance}`).click();
        const jobs = page.getByRole('table', { name: `Failed jobs of ${QUEUES.maintenance}` });
        const jobRow = (id: string) => jobs.getByRole('row').filter({ has: page.getByRole('rowheader', { name: id, exact: true }) });
        await jobRow(retried).getByText('refused on run 1', { exact: true }).waitFor();
        await jobRow(discarded).waitFor();
        await tab.screenshot('queues');

        await button(jobRow(retried), 'Retry').click();
        await page
          .getByRole('status')
          .filter({ hasText: `Job ${retried} runs again` })
          .waitFor();
        await waitFor(async () => (await (await maintenance.getJob(retried))!.getState()) === 'completed', 10000, 'the retried job to complete');
        expect(runs.get(retried)).toBe(2);
        expect(await audits('queue_job.retry', `${QUEUES.maintenance}/${retried}`)).toEqual([expect.objectContaining({ actorId: admin.id })]);

        await button(jobRow(discarded), 'Discard').click();
        const dialog = page.getByRole('dialog', { name: `Discard job ${discarded}` });
        await tab.screenshot('queue-discard-dialog');
        await button(dialog, 'Discard job').click();
        await page
          .getByRole('status')
          .filter({ hasText: `Job ${discarded} discarded.` })
          .waitFor();
        expect(await maintenance.getJob(discarded)).toBeNull();
        expect(await audits('queue_job.remove', `${QUEUES.maintenance}/${discarded}`)).toEqual([
          expect.objectContaining({ actorId: admin.id, before: expect.objectContaining({ id: discarded, state: 'failed' }) }),
        ]);
        await page.getByText(`No failed jobs in ${QUEUES.maintenance}.`).waitFor();
      });
    });
  });
});
