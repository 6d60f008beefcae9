import Bull from 'bull';
import { AuditLogEntity } from '@payhub/backoffice';
import { JOBS, QUEUES } from '@payhub/common';
import { ReconciliationReportService, StatusCheckEntity } from '@payhub/reconciliation';
import { TransactionStateService, TxStatus } from '@payhub/transactions';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { TestApp } from './support/test-app';
import { TEST_PROVIDER } from './support/test-provider';
import { waitFor } from './support/webhook-endpoint';
import { transactionThrough } from './support/webhook-fixtures';

/** The Reconciliation screen's routes beside the report list: run a day's report now, and the status-sync backlog. */
describe('back office: reconciliation runs and the status-sync backlog', () => {
  let t: TestApp;
  let reports: Bull.Queue;

  beforeAll(async () => {
    // Its own database (and so its own queue prefix): the backlog counts every status check.
    t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('reconciliation_runs') } });
    reports = new Bull(QUEUES.reports, t.config.redisUrl, { prefix: t.config.queuePrefix });
  });
  afterAll(async () => {
    await reports?.close();
    await t?.close();
  });

  const today = () => new Date().toISOString().slice(0, 10);
  /** Jobs move between states while a stand-in worker runs them; their number only grows with a new one. */
  const total = (c: Bull.JobCounts) => c.waiting + c.active + c.delayed + c.completed + c.failed;
  const daysAgo = (n: number) => new Date(Date.now() - n * 24 * 3600 * 1000).toISOString().slice(0, 10);

  it('enqueues the report of a chosen day for the worker, audited; the job is the one the worker runs', async () => {
    const operator = await t.newStaff(['operator']);
    const merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
    const provider = t.testProvider;
    provider.balances = [{ currency: 'EUR', amount: 0n }];
    provider.reported = [{ txId: null, providerTxId: 'tp-run-1', status: TxStatus.SUCCESSFUL, amount: 700n, currency: 'EUR' }];
    const day = daysAgo(1);

    const res = await operator.bo.post('/backoffice/reconciliation/reports/runs', { date: day });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ date: day, queue: QUEUES.reports, jobId: expect.stringMatching(new RegExp(`^${JOBS.dailyReport}:${day}:run:`)) });
    const job = await reports.getJob(res.body.jobId);
    expect(job).toMatchObject({ name: JOBS.dailyReport, data: { date: day } });
    // The scheduled run of the same day keeps its own id: a run now neither blocks nor is blocked by it.
    expect(res.body.jobId).not.toBe(`${JOBS.dailyReport}:${day}`);
    const again = await operator.bo.post('/backoffice/reconciliation/reports/runs', { date: day });
    expect(again.status).toBe(202);
    expect(again.body.jobId).not.toBe(res.body.jobId);

    const audit = await t.db
      .getRepository(AuditLogEntity)
      .findOneByOrFail({ action: 'reconciliation_report.run', requestId: res.headers.get('x-request-id')! });
    expect(audit).toMatchObject({ actorId: operator.id, targetType: 'reconciliation_day', targetId: day, after: res.body });

    // A stand-in worker runs the queued job through the real report service, as apps/worker's processor does.
    const service = t.app.get(ReconciliationReportService);
    void reports.process(JOBS.dailyReport, (j: Bull.Job<{ date: string }>) => service.runDaily(j.data.date));
    const listed = await waitFor(
      async () => {
        const r = await operator.bo.get(`/backoffice/reconciliation/reports?merchantId=${merchant.id}&provider=${TEST_PROVIDER}&date=${day}`);
        return r.body?.data?.length ? r.body.data : null;
      },
      15000,
      'the report of the day run now',
    );
    expect(listed[0]).toMatchObject({
      date: day,
      status: 'mismatch',
      mismatches: [expect.objectContaining({ kind: 'missing_in_payhub', providerTxId: 'tp-run-1' })],
    });
  });

  it('is for operators and admins; viewers and approvers get 403, no session 401; nothing is queued', async () => {
    const before = await reports.getJobCounts();
    for (const roles of [['viewer'], ['approver']] as const) {
      const staff = await t.newStaff([...roles]);
      const res = await staff.bo.post('/backoffice/reconciliation/reports/runs', { date: daysAgo(1) });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await t.http.post('/backoffice/reconciliation/reports/runs', { date: daysAgo(1) })).status).toBe(401);
    const admin = await t.newStaff(['admin']);
    expect((await admin.bo.post('/backoffice/reconciliation/reports/runs', { date: today() })).status).toBe(202);
    expect(total(await reports.getJobCounts()) - total(before)).toBe(1);
  });

  it('refuses a day that is not a calendar day, is in the future or too far back, naming the field; nothing is queued or audited', async () => {
    const operator = await t.newStaff(['operator']);
    const before = await reports.getJobCounts();
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
    for (const date of ['yesterday', '2026-02-30', '2026-13-01', tomorrow, daysAgo(400), undefined]) {
      const res = await operator.bo.post('/backoffice/reconciliation/reports/runs', date === undefined ? {} : { date });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'date' })] });
    }
    expect(total(await reports.getJobCounts())).toBe(total(before));
    expect(await t.db.getRepository(AuditLogEntity).countBy({ action: 'reconciliation_report.run', actorId: operator.id })).toBe(0);
  });

  it('status-sync backlog: scheduled checks, how many are due (counted up to a cap) and how long the oldest due one has waited', async () => {
    const viewer = await t.newStaff(['viewer']);
    const merchant = await t.newMerchant();
    const state = t.app.get(TransactionStateService);
    const checks = t.db.getRepository(StatusCheckEntity);
    await checks.clear();
    const empty = await viewer.bo.get('/backoffice/reconciliation/status-sync');
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      scheduled: 0,
      due: 0,
      countCap: 10000,
      scheduledCapped: false,
      dueCapped: false,
      oldestDueAt: null,
      oldestDueAgeSeconds: null,
    });

    const now = Date.now();
    const schedule = [-3600_000, -60_000, 3600_000]; // due an hour ago, a minute ago, in an hour
    for (const offset of schedule) {
      const tx = await transactionThrough(state, merchant.id, [TxStatus.REGISTERED, TxStatus.PROCESSING], { provider: TEST_PROVIDER });
      const at = new Date(now + offset);
      await checks.insert({
        transactionId: tx.id,
        merchantId: merchant.id,
        provider: TEST_PROVIDER,
        providerAccount: 'DEFAULT',
        step: 1,
        nextCheckAt: at,
        expiresAt: new Date(now + 86400_000),
        lastCheckedAt: null,
        lastResult: null,
        lastError: null,
        dispatchToken: null,
        createdAt: at,
        updatedAt: at,
      });
    }
    const res = await viewer.bo.get('/backoffice/reconciliation/status-sync');
    expect(res.body).toMatchObject({ scheduled: 3, due: 2, oldestDueAt: new Date(now - 3600_000).toISOString() });
    expect(res.body.oldestDueAgeSeconds).toBeGreaterThanOrEqual(3600);
    expect(res.body.oldestDueAgeSeconds).toBeLessThan(3600 + 120);

    // Counts stop at the cap: a backlog of millions is not counted on every refresh.
    const digits =
      'SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9';
    await t.db.query(
      `INSERT INTO status_checks (transaction_id, merchant_id, provider, provider_account, step, next_check_at, expires_at, created_at, updated_at)
       SELECT CONCAT('tx_cap', a.d, b.d, c.d, e.d), ?, ?, 'DEFAULT', 1, ?, ?, ?, ?
         FROM (${digits}) a CROSS JOIN (${digits}) b CROSS JOIN (${digits}) c CROSS JOIN (${digits}) e`,
      [merchant.id, TEST_PROVIDER, new Date(now - 60_000), new Date(now + 86400_000), new Date(now), new Date(now)],
    );
    const capped = await viewer.bo.get('/backoffice/reconciliation/status-sync');
    expect(capped.body).toMatchObject({
      scheduled: 10000,
      scheduledCapped: true,
      due: 10000,
      dueCapped: true,
      oldestDueAt: new Date(now - 3600_000).toISOString(),
    });
    await checks.clear();
    expect((await t.http.get('/backoffice/reconciliation/status-sync')).status).toBe(401);
  });
});
