import Bull from 'bull';
import { AuditLogEntity } from '@payhub/backoffice';
import { QUEUES } from '@payhub/common';
import { TestApp } from './support/test-app';
import { waitFor } from './support/webhook-endpoint';

describe("back office: queues (the console's Queues screen)", () => {
  let t: TestApp;
  let queue: Bull.Queue;
  /** Jobs fail while their data says so (and the retry count has not reached `failTimes`). */
  const runs = new Map<string, number>();

  beforeAll(async () => {
    t = await TestApp.start();
    // A stand-in worker on the app's own (test-only) prefix, so jobs really fail and really run again.
    queue = new Bull(QUEUES.maintenance, t.config.redisUrl, { prefix: t.config.queuePrefix });
    void queue.process('*', async (job) => {
      const n = (runs.get(String(job.id)) ?? 0) + 1;
      runs.set(String(job.id), n);
      if (n <= (job.data.failTimes ?? 0)) throw new Error(`refused on run ${n}`);
      return { ok: true };
    });
  });
  afterAll(async () => {
    await queue?.close();
    await t?.close();
  });

  const failedJob = async (failTimes = 1) => {
    const job = await queue.add('hand-made', { failTimes }, { attempts: 1, removeOnFail: false, removeOnComplete: false });
    await waitFor(async () => (await job.getState()) === 'failed', 10000, 'the job to fail');
    return String(job.id);
  };

  it('is for admins only', async () => {
    const { bo } = await t.newStaff(['operator']);
    const res = await bo.get('/backoffice/queues');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await t.http.get('/backoffice/queues')).status).toBe(401);
  });

  it("shows each queue's depth per state and the failed jobs with their error", async () => {
    const { bo } = await t.newStaff(['admin']);
    const jobId = await failedJob();
    const list = await bo.get('/backoffice/queues');
    expect(list.status).toBe(200);
    expect(list.body.data.map((q: { name: string }) => q.name)).toEqual(Object.values(QUEUES));
    const maintenance = list.body.data.find((q: { name: string }) => q.name === QUEUES.maintenance);
    expect(maintenance).toMatchObject({ paused: false, counts: { waiting: 0, active: 0, delayed: 0 } });
    expect(maintenance.counts.failed).toBeGreaterThanOrEqual(1);

    const failed = await bo.get(`/backoffice/queues/${QUEUES.maintenance}/jobs?state=failed&limit=100`);
    expect(failed.status).toBe(200);
    const job = failed.body.data.find((j: { id: string }) => j.id === jobId);
    expect(job).toMatchObject({
      id: jobId,
      queue: QUEUES.maintenance,
      name: 'hand-made',
      state: 'failed',
      attemptsMade: 1,
      failedReason: 'refused on run 1',
      data: { failTimes: 1 },
    });
    expect(job.stacktrace).toContain('refused on run 1');
    expect((await bo.get(`/backoffice/queues/${QUEUES.maintenance}/jobs/${jobId}`)).body).toMatchObject({ id: jobId, state: 'failed' });
  });

  it('refuses unknown queues, jobs and states with a code naming the problem', async () => {
    const { bo } = await t.newStaff(['admin']);
    const noQueue = await bo.get('/backoffice/queues/nope/jobs?state=failed');
    expect(noQueue.status).toBe(404);
    expect(noQueue.body.error.code).toBe('QUEUE_NOT_FOUND');
    const badState = await bo.get(`/backoffice/queues/${QUEUES.maintenance}/jobs?state=stuck`);
    expect(badState.status).toBe(400);
    expect(badState.body.error.details).toEqual([expect.objectContaining({ field: 'state' })]);
    const noJob = await bo.post(`/backoffice/queues/${QUEUES.maintenance}/jobs/no-such-job/retry`);
    expect(noJob.status).toBe(404);
    expect(noJob.body.error.code).toBe('QUEUE_JOB_NOT_FOUND');
  });

  it('retries a failed job (audited); a job that is not failed is not retried', async () => {
    const admin = await t.newStaff(['admin']);
    const jobId = await failedJob(1);
    const retried = await admin.bo.post(`/backoffice/queues/${QUEUES.maintenance}/jobs/${jobId}/retry`);
    expect(retried.status).toBe(202);
    await waitFor(async () => (await queue.getJob(jobId))?.getState().then((s) => s === 'completed'), 10000, 'the retried job to complete');
    expect(runs.get(jobId)).toBe(2);

    const again = await admin.bo.post(`/backoffice/queues/${QUEUES.maintenance}/jobs/${jobId}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('QUEUE_JOB_STATE');

    const audit = await t.db.getRepository(AuditLogEntity).findBy({ targetType: 'queue_job', targetId: `${QUEUES.maintenance}/${jobId}` });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: admin.id,
      actorEmail: admin.email,
      action: 'queue_job.retry',
      before: { state: 'failed', failedReason: 'refused on run 1' },
    });
  });

  it('removes a job (audited), after which it is gone', async () => {
    const admin = await t.newStaff(['admin']);
    const jobId = await failedJob(5);
    const removed = await admin.bo.request('DELETE', `/backoffice/queues/${QUEUES.maintenance}/jobs/${jobId}`);
    expect(removed.status).toBe(204);
    expect(await queue.getJob(jobId)).toBeNull();
    const gone = await admin.bo.get(`/backoffice/queues/${QUEUES.maintenance}/jobs/${jobId}`);
    expect(gone.status).toBe(404);
    const audit = await t.db.getRepository(AuditLogEntity).findBy({ targetType: 'queue_job', targetId: `${QUEUES.maintenance}/${jobId}` });
    expect(audit.map((a) => [a.action, a.actorId, (a.before as { state: string }).state])).toEqual([['queue_job.remove', admin.id, 'failed']]);
  });
});
