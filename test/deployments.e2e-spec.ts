import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DeadLetters, deploymentKey, JOB_OPTIONS, JOBS, loadConfig, newId, QUEUES } from '@payhub/common';
import { PayoutQueue } from '@payhub/payments';
import { TransactionEntity, TransactionStateService, TxStatus, TxType } from '@payhub/transactions';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { TestApp } from './support/test-app';
import { TEST_PROVIDER, TestProviderModule } from './support/test-provider';
import { waitFor } from './support/webhook-endpoint';

/** One deployment: its own database, the default (derived) queue prefix, an api and a worker. */
interface Deployment {
  t: TestApp;
  worker: INestApplicationContext;
  merchantId: string;
}

describe('two deployments on one Redis', () => {
  const deployments: Deployment[] = [];
  const apps: TestApp[] = [];

  async function deploy(suffix: string): Promise<Deployment> {
    // QUEUE_PREFIX empty: unset, so the prefix comes from the database as in production.
    const t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl(suffix), QUEUE_PREFIX: '' } });
    const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config, { schedule: false, extraModules: [TestProviderModule] }), { logger: false });
    await worker.init();
    const merchantId = (await t.newMerchant()).id;
    await t.routeAllTo(merchantId);
    const deployment = { t, worker, merchantId };
    deployments.push(deployment);
    return deployment;
  }

  const approvedPayout = (d: Deployment) => d.t.app.get(TransactionStateService).create({
    id: newId('tx'), merchantId: d.merchantId, merchantTxId: newId('tx'), userId: 'u1', txType: TxType.WalletWithdrawal, service: null, status: TxStatus.REGISTERED,
    amount: 1000n, currency: 'EUR', country: 'DE', provider: TEST_PROVIDER, providerAccount: 'DEFAULT', parentId: null, routingRuleId: null, routingReason: null,
    cardBrand: null, cardBin: null, cardLast4: null, cardExpiry: null, details: null, notificationUrl: null, createdBy: null,
  }, { source: 'system' });
  const statusOf = async (d: Deployment, id: string) => (await d.t.db.getRepository(TransactionEntity).findOneByOrFail({ id })).status;

  afterAll(async () => {
    for (const d of deployments) {
      await d.worker.close();
      await d.t.close();
    }
    for (const app of apps) await app.close();
  });

  it('derives the default queue prefix from the database', () => {
    const config = (database: string) => loadConfig({ NODE_ENV: 'test', DATABASE_URL: `mysql://root@127.0.0.1:3306/${database}`, PAYHUB_SECRET_KEY: 'a'.repeat(64) });
    expect(config('payhub_staging').queuePrefix).toBe('payhub:payhub_staging');
    expect(config('payhub').queuePrefix).toBe('payhub:payhub');
    expect(loadConfig({ NODE_ENV: 'test', QUEUE_PREFIX: 'acme', PAYHUB_SECRET_KEY: 'a'.repeat(64) }).queuePrefix).toBe('acme');
  });

  it('each worker takes only its own deployment\'s payouts; a stray job is kept in the dead-letter list, never dropped', async () => {
    const a = await deploy('deploy_a');
    const b = await deploy('deploy_b');
    expect(a.t.config.queuePrefix).toBe(`payhub:${a.t.config.database.name}`);
    expect(b.t.config.queuePrefix).not.toBe(a.t.config.queuePrefix);
    const redis = a.t.app.get<Queue>(getQueueToken(QUEUES.payouts)).client;
    expect(await redis.get(deploymentKey(a.t.config.queuePrefix))).toBe(`${a.t.config.database.name}@127.0.0.1:3306`);

    const payoutsA = await Promise.all(Array.from({ length: 5 }, () => approvedPayout(a)));
    const payoutsB = await Promise.all(Array.from({ length: 5 }, () => approvedPayout(b)));
    for (const tx of payoutsA) await a.t.app.get(PayoutQueue).enqueue(tx.id);
    for (const tx of payoutsB) await b.t.app.get(PayoutQueue).enqueue(tx.id);
    for (const [d, txs] of [[a, payoutsA], [b, payoutsB]] as const) {
      for (const tx of txs) await waitFor(async () => (await statusOf(d, tx.id)) === TxStatus.PROCESSING, 15000, `payout ${tx.id} submitted by its own worker`);
    }

    // A job for a transaction this database does not have (what a shared prefix used to deliver): kept, with the reason.
    const stray = payoutsA[0].id;
    await b.t.app.get<Queue>(getQueueToken(QUEUES.payouts)).add(JOBS.submitPayout, { txId: stray }, { ...JOB_OPTIONS.submitPayout, jobId: `stray-${stray}` });
    const kept = await waitFor(async () => (await b.worker.get(DeadLetters).list()).find((l) => l.jobId === `stray-${stray}`), 15000, 'the stray job in the dead-letter list');
    expect(kept).toMatchObject({ queue: QUEUES.payouts, job: JOBS.submitPayout, data: { txId: stray }, reason: expect.stringContaining(stray) });
    expect((await a.worker.get(DeadLetters).list(10000)).some((l) => l.jobId === `stray-${stray}`)).toBe(false);
  }, 60000);

  it('a process whose database differs from the prefix\'s owner refuses to start, naming both databases', async () => {
    const ownerApp = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('deploy_owner'), QUEUE_PREFIX: '' } });
    apps.push(ownerApp);
    const owner = ownerApp.config;
    const other = await isolatedDatabaseUrl('deploy_c');
    const refused = await TestApp.start({ env: { DATABASE_URL: other, QUEUE_PREFIX: owner.queuePrefix } }).then(() => null, (error: Error) => error);
    expect(refused?.message).toContain(`${owner.database.name}@127.0.0.1:3306`);
    expect(refused?.message).toContain(`${new URL(other).pathname.slice(1)}@127.0.0.1:3306`);
  });
});
