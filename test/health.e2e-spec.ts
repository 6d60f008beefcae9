import { rmSync } from 'node:fs';
import { TransactionStateService, TxStatus } from '@payhub/transactions';
import { HEARTBEAT_STALE_MS, OUTBOX_LAG_LIMIT_S, STATUS_SYNC_OVERDUE_LIMIT_S } from '@payhub/observability';
import { freePort } from './support/free-port';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { parseMetrics } from './support/metrics-text';
import { TestApp } from './support/test-app';
import { waitFor } from './support/webhook-endpoint';
import { transactionThrough } from './support/webhook-fixtures';
import { buildInto, SpawnedWorker } from './support/worker-process';

const OUT = `/tmp/payhub-health-build-${process.pid}`;

describe('liveness and readiness', () => {
  let t: TestApp;
  let env: Record<string, string>;
  const workers: SpawnedWorker[] = [];

  beforeAll(async () => {
    await buildInto(OUT);
    const databaseUrl = await isolatedDatabaseUrl('health');
    t = await TestApp.start({ env: { DATABASE_URL: databaseUrl } });
    env = { DATABASE_URL: databaseUrl, REDIS_URL: t.config.redisUrl, QUEUE_PREFIX: t.config.queuePrefix, PAYHUB_SECRET_KEY: 'a'.repeat(64), HOST: '127.0.0.1' };
  }, 120000);
  afterAll(async () => {
    for (const worker of workers) await worker.kill();
    await t?.close();
    rmSync(OUT, { recursive: true, force: true });
  });

  const startWorker = async (extra: Record<string, string> = {}) => {
    const worker = await SpawnedWorker.start(OUT, { ...env, WORKER_METRICS_PORT: '0', ...extra });
    workers.push(worker);
    return worker;
  };
  const ready = () => t.http.get('/health/ready');

  it('live answers without asking any dependency; /health keeps answering', async () => {
    const live = await t.http.get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
    const health = await t.http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', checks: { mysql: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('is not ready without a worker, ready while one beats, 503 within seconds of a SIGKILL, ready again after a restart', async () => {
    const none = await ready();
    expect(none.status).toBe(503);
    expect(none.body).toMatchObject({
      status: 'error',
      failing: ['worker'],
      checks: {
        mysql: { status: 'up' },
        redis: { status: 'up' },
        migrations: { status: 'up' },
        worker: { status: 'down', alive: 0 },
        outbox: { status: 'up' },
        statusSync: { status: 'up' },
      },
    });

    const worker = await startWorker();
    const up = await waitFor(async () => ((await ready()).status === 200 ? ready() : null), 15000, 'readiness with a live worker');
    expect(up.body).toMatchObject({ status: 'ok', failing: [], checks: { worker: { status: 'up', alive: 1 } } });
    expect(up.body.checks.worker.lastHeartbeatAgeSeconds).toBeLessThan(HEARTBEAT_STALE_MS / 1000);

    await worker.kill('SIGKILL');
    const killedAt = Date.now();
    const down = await waitFor(
      async () => {
        const res = await ready();
        return res.status === 503 ? res : null;
      },
      30000,
      'readiness to notice the dead worker',
    );
    const noticedAfterMs = Date.now() - killedAt;
    expect(noticedAfterMs).toBeLessThan(HEARTBEAT_STALE_MS + 5000);
    expect(down.body.failing).toEqual(['worker']);
    expect(down.body.checks.worker).toMatchObject({ status: 'down', alive: 0 });
    expect(down.body.checks.worker.error).toMatch(/no worker heartbeat for [\d.]+ s/);

    await startWorker();
    await waitFor(async () => (await ready()).status === 200, 15000, 'readiness after the restart');
  }, 90000);

  it('names the outbox when webhooks fall behind, status sync when checks are overdue, and migrations not applied', async () => {
    await waitFor(async () => (await ready()).status === 200, 15000, 'a ready system');
    for (const worker of workers) await worker.kill();
    await waitFor(async () => (await ready()).body.failing?.includes('worker'), 20000, 'the worker to be gone');

    const merchant = await t.newMerchant();
    const tx = await transactionThrough(t.app.get(TransactionStateService), merchant.id, [TxStatus.REGISTERED, TxStatus.PROCESSING]);
    // As if the relay had been stuck for two minutes and status sync for half an hour.
    await t.db.query('UPDATE outbox SET created_at = NOW(3) - INTERVAL 2 MINUTE WHERE transaction_id = ?', [tx.id]);
    await t.db.query(
      'INSERT INTO status_checks (transaction_id, merchant_id, provider, step, next_check_at, expires_at, created_at, updated_at) VALUES (?, ?, NULL, 0, NOW(3) - INTERVAL 30 MINUTE, NOW(3) + INTERVAL 1 DAY, NOW(3), NOW(3)) ON DUPLICATE KEY UPDATE next_check_at = VALUES(next_check_at)',
      [tx.id, merchant.id],
    );
    const [last] = await t.db.query('SELECT id, timestamp, name FROM migrations ORDER BY id DESC LIMIT 1');
    await t.db.query('DELETE FROM migrations WHERE id = ?', [last.id]);
    try {
      const res = await ready();
      expect(res.status).toBe(503);
      expect(res.body.failing).toEqual(['migrations', 'worker', 'outbox', 'statusSync']);
      expect(res.body.checks.migrations).toMatchObject({ status: 'down', pending: [last.name] });
      expect(res.body.checks.outbox.lagSeconds).toBeGreaterThanOrEqual(OUTBOX_LAG_LIMIT_S);
      expect(res.body.checks.outbox.error).toMatch(/oldest unpublished outbox event is \d+ s old/);
      expect(res.body.checks.statusSync.overdueSeconds).toBeGreaterThanOrEqual(STATUS_SYNC_OVERDUE_LIMIT_S);
    } finally {
      await t.db.query('INSERT INTO migrations (id, timestamp, name) VALUES (?, ?, ?)', [last.id, last.timestamp, last.name]);
      await t.db.query('DELETE FROM status_checks WHERE transaction_id = ?', [tx.id]);
    }

    // A worker comes back: the relay publishes the outbox and readiness recovers.
    await startWorker();
    const recovered = await waitFor(
      async () => {
        const res = await ready();
        return res.status === 200 ? res : null;
      },
      20000,
      'readiness once the relay caught up',
    );
    expect(recovered.body.checks.outbox.lagSeconds).toBe(0);
  }, 90000);

  it('the worker serves its own /metrics at WORKER_METRICS_PORT on HOST', async () => {
    const port = await freePort();
    const worker = await startWorker({ WORKER_METRICS_PORT: String(port) });
    expect(worker.metricsUrl).toBe(`http://127.0.0.1:${port}/metrics`);
    const res = await fetch(worker.metricsUrl!);
    expect(res.status).toBe(200);
    const scrape = parseMetrics(await res.text());
    expect(scrape.has('process_cpu_user_seconds_total')).toBe(true);
    expect([...scrape.keys()].some((k) => k.startsWith('payhub_webhook_delivery_lag_seconds_bucket'))).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/nothing`)).status).toBe(404);

    // A second worker on the same port keeps working, without metrics (Prometheus shows that target down).
    const twin = await startWorker({ WORKER_METRICS_PORT: String(port) });
    expect(twin.metricsUrl).toBeNull();
    expect(twin.child.exitCode).toBeNull();
  }, 60000);
});
