import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { newId, QUEUES } from '@payhub/common';
import { StatusCheckEntity, StatusSyncService } from '@payhub/reconciliation';
import { TransactionEntity, TransactionEventEntity, TransactionStateService, TxStatus, TxType } from '@payhub/transactions';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { TestApp } from './support/test-app';
import { TEST_PROVIDER, TestPayProvider, TestProviderModule } from './support/test-provider';
import { waitFor } from './support/webhook-endpoint';

const COUNT = 1200;
const PROVIDER_CONCURRENCY = 3;
const LEASE_MS = 1500;

describe('status sync at volume', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  /** A second worker on the same database and Redis, its dispatch lease short (a dead worker's lease ends soon). */
  let second: INestApplicationContext;
  let merchantId: string;

  beforeAll(async () => {
    t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('status_scale') } });
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(t.config, {
        schedule: false,
        extraModules: [TestProviderModule],
        reconciliation: { checkDelaysMs: [50, 60000], providerConcurrency: PROVIDER_CONCURRENCY },
      }),
      { logger: false },
    );
    await worker.init();
    second = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(t.config, {
        schedule: false,
        extraModules: [TestProviderModule],
        reconciliation: { checkDelaysMs: [50, 60000], providerConcurrency: PROVIDER_CONCURRENCY, dispatchLeaseMs: LEASE_MS, checkJobSize: 10 },
      }),
      { logger: false },
    );
    await second.init();
    merchantId = (await t.newMerchant()).id;
    await t.routeAllTo(merchantId);
  });
  afterAll(async () => {
    await second?.close();
    await worker?.close();
    await t?.close();
  });

  const waitingInput = () =>
    t.app.get(TransactionStateService).create(
      {
        id: newId('tx'),
        merchantId,
        merchantTxId: newId('tx'),
        userId: 'u1',
        txType: TxType.CreditcardDeposit,
        service: null,
        status: TxStatus.WAITING_INPUT,
        amount: 1000n,
        currency: 'EUR',
        country: 'DE',
        provider: TEST_PROVIDER,
        providerAccount: 'DEFAULT',
        parentId: null,
        routingRuleId: null,
        routingReason: null,
        cardBrand: null,
        cardBin: null,
        cardLast4: null,
        cardExpiry: null,
        details: null,
        notificationUrl: null,
        createdBy: null,
      },
      { source: 'system' },
    );

  it('enrols every transaction that entered an unfinished status and dispatches every due check in one pass, not 500 a minute', async () => {
    const testpay = worker.get(TestPayProvider);
    testpay.checkDelayMs = 20;
    const ids: string[] = [];
    for (let i = 0; i < COUNT; i += 100) ids.push(...(await Promise.all(Array.from({ length: 100 }, async () => (await waitingInput()).id))));
    await new Promise((r) => setTimeout(r, 100));

    const pass = await worker.get(StatusSyncService).scan();
    expect(pass.enrolled).toBe(COUNT);
    expect(pass.enqueued).toBe(COUNT);
    // A second pass right away finds nothing due: dispatched checks are leased, not read again.
    expect((await worker.get(StatusSyncService).scan()).enqueued).toBe(0);

    await waitFor(
      async () => (await t.db.getRepository(StatusCheckEntity).createQueryBuilder('s').where('s.step = 1 AND s.last_result IS NOT NULL').getCount()) === COUNT,
      60000,
      'every check to run',
    );
    const asked = await t.db
      .getRepository(TransactionEventEntity)
      .createQueryBuilder('e')
      .where("e.source = 'status_check' AND e.transaction_id IN (:...ids)", { ids })
      .getCount();
    expect(asked).toBe(COUNT);
    // Bounded per provider, whatever the queue holds.
    expect(testpay.maxChecksInFlight).toBe(PROVIDER_CONCURRENCY);
    const queue = worker.get<Queue>(getQueueToken(QUEUES.statusSync));
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 0, active: 0 });
  }, 90000);

  it('a transaction that turns final leaves the schedule through the outbox, with no scan of the table', async () => {
    const tx = await waitingInput();
    const sync = worker.get(StatusSyncService);
    await sync.scan();
    expect(await t.db.getRepository(StatusCheckEntity).findOneBy({ transactionId: tx.id })).not.toBeNull();
    await t.app.get(TransactionStateService).transition(tx.id, TxStatus.SUCCESSFUL, { source: 'callback' });
    expect((await sync.enrolFromOutbox()).forgotten).toBe(1);
    expect(await t.db.getRepository(StatusCheckEntity).findOneBy({ transactionId: tx.id })).toBeNull();
  });

  const statusCheckEvents = async (ids: string[]) =>
    (await t.db
      .getRepository(TransactionEventEntity)
      .createQueryBuilder('e')
      .where("e.source = 'status_check' AND e.transaction_id IN (:...ids)", { ids })
      .getMany()) as TransactionEventEntity[];

  const statusQueues = () => [worker, second].map((w) => w.get<Queue>(getQueueToken(QUEUES.statusSync)));
  /** Neither worker takes status-sync jobs while `work` runs; what it enqueued is then dropped, as a dead worker's would be. */
  const withJobsLost = async <T>(work: () => Promise<T>): Promise<T> => {
    const queues = statusQueues();
    await Promise.all(queues.map((q) => q.pause(true)));
    try {
      const result = await work();
      await queues[0].empty();
      expect(await queues[0].getJobCounts()).toMatchObject({ waiting: 0 });
      return result;
    } finally {
      await Promise.all(queues.map((q) => q.resume(true)));
    }
  };

  it('two workers running overlapping check jobs at once ask each transaction once: the claim is a conditional UPDATE per step', async () => {
    const ids: string[] = await Promise.all(Array.from({ length: 60 }, async () => (await waitingInput()).id));
    const sync = worker.get(StatusSyncService);
    // Enrolled with no worker taking the jobs (the first check may be due already): the jobs below are run by hand.
    await withJobsLost(() => sync.enrolFromOutbox());
    const [a, b] = [worker.get(TestPayProvider), second.get(TestPayProvider)];
    // A third were paid meanwhile (a real change, applied under the row lock); the rest are "still WAITING_INPUT".
    const paid = ids.filter((_, i) => i % 3 === 0);
    // A third answer an unknown outcome: past REGISTERED the state machine only keeps a note of it (recorded in bulk too).
    const unknown = ids.filter((_, i) => i % 3 === 1);
    for (const provider of [a, b]) {
      for (const id of paid) provider.statuses.set(id, TxStatus.SUCCESSFUL);
      for (const id of unknown) provider.statuses.set(id, TxStatus.INCONSISTENT);
      provider.checkDelayMs = 5;
    }
    const asked = () => [...a.checked, ...b.checked].filter((id) => ids.includes(id));
    expect(asked()).toHaveLength(0);

    const items = ids.map((transactionId) => ({ transactionId, step: 0 }));
    // The second job also stands for a lease that ran out while the first still waited: same rows, same step.
    const [first, other] = await Promise.all([
      sync.runCheck({ checks: items.slice(0, 40) }),
      second.get(StatusSyncService).runCheck({ checks: items.slice(20).reverse() }),
    ]);
    expect([first, other]).toEqual(['checked', 'checked']);
    expect(asked().sort()).toEqual([...ids].sort());
    expect(a.checked.filter((id) => ids.includes(id)).length).toBeGreaterThan(0);
    expect(b.checked.filter((id) => ids.includes(id)).length).toBeGreaterThan(0);

    const events = await statusCheckEvents(ids);
    expect(events).toHaveLength(ids.length);
    for (const e of events) {
      if (paid.includes(e.transactionId)) expect(e).toMatchObject({ kind: 'status_change', fromStatus: TxStatus.WAITING_INPUT, toStatus: TxStatus.SUCCESSFUL });
      else if (unknown.includes(e.transactionId))
        expect(e).toMatchObject({
          kind: 'provider_exchange',
          fromStatus: TxStatus.WAITING_INPUT,
          toStatus: TxStatus.WAITING_INPUT,
          reason: null,
          data: { raw: { response: { status: TxStatus.INCONSISTENT } } },
        });
      else
        expect(e).toMatchObject({
          kind: 'provider_exchange',
          toStatus: TxStatus.WAITING_INPUT,
          reason: 'status check: still WAITING_INPUT',
          actor: 'reconciliation',
        });
    }
    const txs = await t.db.getRepository(TransactionEntity).createQueryBuilder('t').where('t.id IN (:...ids)', { ids }).getMany();
    expect(
      txs
        .filter((tx) => tx.status === TxStatus.SUCCESSFUL)
        .map((tx) => tx.id)
        .sort(),
    ).toEqual([...paid].sort());
    // Paid ones left the schedule; the others moved one step on, released, the next check a minute out.
    const rows = await t.db.getRepository(StatusCheckEntity).createQueryBuilder('s').where('s.transaction_id IN (:...ids)', { ids }).getMany();
    expect(rows).toHaveLength(ids.length - paid.length);
    for (const row of rows) {
      expect(row).toMatchObject({ step: 1, lastResult: unknown.includes(row.transactionId) ? 'ignored' : 'duplicate', lastError: null, dispatchToken: null });
      expect(row.nextCheckAt.getTime() - row.lastCheckedAt!.getTime()).toBe(60000);
    }
    // The same job again (a duplicate that waited in the queue) finds every check done.
    expect(await sync.runCheck({ checks: items })).toBe('checked');
    expect(asked()).toHaveLength(ids.length);
  });

  it('checks whose jobs were lost (the worker died after enrolling or dispatching them) are dispatched again when their lease ends, each run once', async () => {
    const ids: string[] = await Promise.all(Array.from({ length: 25 }, async () => (await waitingInput()).id));
    const sync = second.get(StatusSyncService);
    const late = await Promise.all(Array.from({ length: 15 }, async () => (await waitingInput()).id));
    // Read late from the outbox: the first checks are due, so enrolment writes the rows leased and enqueues them itself.
    await new Promise((r) => setTimeout(r, 100));
    await withJobsLost(async () => {
      const enrolled = await sync.enrolFromOutbox();
      expect(enrolled).toMatchObject({ enrolled: ids.length + late.length, dispatched: ids.length + late.length });
      // Leased: not dispatched again while the lease runs.
      expect(await sync.dispatch()).toBe(0);
    });
    // The dispatch of the 25 is lost too (its worker died after leasing).
    await withJobsLost(async () => {
      await t.db.query('UPDATE status_checks SET next_check_at = ? WHERE transaction_id IN (?)', [new Date(Date.now() - 1000), ids]);
      expect(await sync.dispatch()).toBe(ids.length);
      expect(await sync.dispatch()).toBe(0);
    });
    ids.push(...late);
    await new Promise((r) => setTimeout(r, LEASE_MS + 100));
    expect(await sync.dispatch()).toBe(ids.length);
    await waitFor(
      async () =>
        (await t.db
          .getRepository(StatusCheckEntity)
          .createQueryBuilder('s')
          .where('s.step = 1 AND s.last_result IS NOT NULL AND s.transaction_id IN (:...ids)', { ids })
          .getCount()) === ids.length,
      20000,
      'every check to run after the lease',
    );
    expect(await statusCheckEvents(ids)).toHaveLength(ids.length);
    const asked = [...worker.get(TestPayProvider).checked, ...second.get(TestPayProvider).checked].filter((id) => ids.includes(id));
    expect(asked.sort()).toEqual([...ids].sort());
  });

  it('reads status_checks and the outbox on their indexes only (EXPLAIN)', async () => {
    const explain = async (sql: string, params: unknown[]) =>
      (await t.db.query(`EXPLAIN ${sql}`, params)) as Array<{ table: string; type: string; key: string | null }>;
    const now = new Date();
    const due = await explain('UPDATE status_checks SET dispatch_token = ?, next_check_at = ? WHERE next_check_at <= ? ORDER BY next_check_at LIMIT 500', [
      'x',
      now,
      now,
    ]);
    expect(due[0]).toMatchObject({ key: 'ix_status_checks_due', type: 'range' });
    const leased = await explain('SELECT transaction_id, step, merchant_id, provider, provider_account FROM status_checks WHERE dispatch_token = ?', ['x']);
    expect(leased[0]).toMatchObject({ key: 'ix_status_checks_dispatch', type: 'ref' });
    // A check job's claim, release and forget: on the primary key. The plan is read with 5,000 rows in the table
    // (on a nearly empty one the optimizer rightly prefers a scan), rows not due for a year and removed after.
    const far = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    const filler = Array.from({ length: 5000 }, (_, i) => [`tx_explain_${i}`, merchantId, TEST_PROVIDER, 'DEFAULT', 0, far, far, now, now]);
    await t.db.query(
      'INSERT INTO status_checks (transaction_id, merchant_id, provider, provider_account, step, next_check_at, expires_at, created_at, updated_at) VALUES ?',
      [filler],
    );
    await t.db.query('ANALYZE TABLE status_checks');
    const ids = ['tx_explain_1', 'tx_explain_2', 'tx_explain_3'];
    const claim = await explain(
      `UPDATE status_checks SET step = step + 1, last_checked_at = ?, next_check_at = CASE WHEN expires_at > ? AND expires_at < ? THEN expires_at ELSE ? END,
         dispatch_token = ?, updated_at = ? WHERE transaction_id IN (?) AND step = ?`,
      [now, now, now, now, 'x', now, ids, 0],
    );
    expect(claim[0]).toMatchObject({ key: 'PRIMARY', type: 'range' });
    const release = await explain(
      'UPDATE status_checks SET last_result = ?, last_error = ?, dispatch_token = NULL, updated_at = ? WHERE transaction_id IN (?) AND dispatch_token = ?',
      ['duplicate', null, now, ids, 'x'],
    );
    expect(release[0]).toMatchObject({ table: 'status_checks' });
    expect(['PRIMARY', 'ix_status_checks_dispatch']).toContain(release[0].key);
    const forget = await explain('DELETE FROM status_checks WHERE transaction_id IN (?)', [ids]);
    expect(forget[0]).toMatchObject({ key: 'PRIMARY', type: 'range' });
    await t.db.query("DELETE FROM status_checks WHERE transaction_id LIKE 'tx\\_explain\\_%'");
    const unread = await explain('SELECT id, transaction_id, created_at FROM outbox WHERE status_synced_at IS NULL ORDER BY id LIMIT 1000', []);
    expect(unread[0]).toMatchObject({ key: 'ix_outbox_status_sync', type: 'ref' });
    // Enrolment reads the unread rows with their transactions: the outbox on its index, transactions by primary key.
    const changes = await explain(
      `SELECT o.id, t.status FROM (SELECT id, transaction_id, created_at FROM outbox WHERE status_synced_at IS NULL ORDER BY id LIMIT 5000) o
         LEFT JOIN transactions t ON t.id = o.transaction_id ORDER BY o.id`,
      [],
    );
    expect(changes.find((row) => row.table === 'outbox')).toMatchObject({ key: 'ix_outbox_status_sync', type: 'ref' });
    expect(changes.find((row) => row.table === 't')).toMatchObject({ key: 'PRIMARY', type: 'eq_ref' });
    const lanes = await explain(
      'UPDATE webhook_lanes SET locked_by = ?, locked_until = ?, next_attempt_at = ? WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 200',
      ['x', now, now, now],
    );
    expect(lanes[0]).toMatchObject({ key: 'ix_webhook_lanes_due', type: 'range' });
  });
});
