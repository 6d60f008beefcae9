import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { newId, QUEUES } from '@payhub/common';
import { StatusCheckEntity, StatusSyncService } from '@payhub/reconciliation';
import { TransactionEventEntity, TransactionStateService, TxStatus, TxType } from '@payhub/transactions';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { TestApp } from './support/test-app';
import { TEST_PROVIDER, TestPayProvider, TestProviderModule } from './support/test-provider';
import { waitFor } from './support/webhook-endpoint';

const COUNT = 1200;
const PROVIDER_CONCURRENCY = 3;

describe('status sync at volume', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
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
    merchantId = (await t.newMerchant()).id;
    await t.routeAllTo(merchantId);
  });
  afterAll(async () => {
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
    const unread = await explain('SELECT id, transaction_id, created_at FROM outbox WHERE status_synced_at IS NULL ORDER BY id LIMIT 1000', []);
    expect(unread[0]).toMatchObject({ key: 'ix_outbox_status_sync', type: 'ref' });
    const lanes = await explain(
      'UPDATE webhook_lanes SET locked_by = ?, locked_until = ?, next_attempt_at = ? WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 200',
      ['x', now, now, now],
    );
    expect(lanes[0]).toMatchObject({ key: 'ix_webhook_lanes_due', type: 'range' });
  });
});
