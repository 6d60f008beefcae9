/**
 * Webhook delivery throughput of one worker to a fast local endpoint, and lag of fast merchants while
 * one merchant answers in 5 s:
 *   npm run bench:webhooks -- [--events 20000] [--merchants 100] [--slow-merchant]
 * Events are committed through the state machine before the worker starts; the clock runs from the
 * worker's start until the receiver has seen every eventId. Not part of `npm test`.
 */
import { NestFactory } from '@nestjs/core';
import { newId } from '@payhub/common';
import { OutboxEntity, TransactionStateService, TxStatus, TxType } from '@payhub/transactions';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { isolatedDatabaseUrl } from '../support/isolated-database';
import { TestApp } from '../support/test-app';
import { machineLoad, percentile, Receiver } from './support/receiver';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg('events', 20000);
const MERCHANTS = arg('merchants', 100);
const SLOW = process.argv.includes('--slow-merchant');

async function main(): Promise<void> {
  const t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('bench_webhooks'), LOG_LEVEL: 'warn' } });
  const receiver = await Receiver.start();
  const state = t.app.get(TransactionStateService);
  const merchants = await Promise.all(Array.from({ length: MERCHANTS }, () => t.newMerchant()));
  const slowMerchant = SLOW ? merchants[0].id : null;

  const seedStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < EVENTS) {
        const i = next++;
        const merchantId = merchants[i % MERCHANTS].id;
        await state.create(
          {
            id: newId('tx'),
            merchantId,
            merchantTxId: newId('tx'),
            userId: 'u1',
            txType: TxType.CreditcardDeposit,
            service: null,
            status: TxStatus.REGISTERED,
            amount: 1000n,
            currency: 'EUR',
            country: 'DE',
            provider: null,
            providerAccount: null,
            parentId: null,
            routingRuleId: null,
            routingReason: null,
            cardBrand: null,
            cardBin: null,
            cardLast4: null,
            cardExpiry: null,
            details: null,
            notificationUrl: `${receiver.url}/${merchantId === slowMerchant ? 'slow' : 'fast'}/${merchantId}`,
            createdBy: null,
          },
          { source: 'system' },
        );
      }
    }),
  );
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
  const booting = Date.now();
  await worker.init();
  const started = Date.now();
  const slowEvents = slowMerchant ? Math.ceil(EVENTS / MERCHANTS) : 0;
  const fastEvents = EVENTS - slowEvents;
  let counted = { count: 0, requests: 0 };
  while (counted.count < (SLOW ? fastEvents : EVENTS) && Date.now() - started < 120000) {
    await new Promise((r) => setTimeout(r, 200));
    counted = await receiver.count();
  }
  const seconds = (Date.now() - started) / 1000;

  const arrivals = await receiver.arrivals();
  const outbox = await t.db.getRepository(OutboxEntity).find({ select: { eventId: true, merchantId: true, createdAt: true } });
  // Lag from the worker's start (the events were all waiting already), fast merchants only.
  const lags = outbox
    .filter((o) => o.merchantId !== slowMerchant && arrivals.has(o.eventId))
    .map((o) => arrivals.get(o.eventId)! - started)
    .sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      events: EVENTS,
      merchants: MERCHANTS,
      slowMerchant: SLOW,
      seedSeconds: Number(seedSeconds.toFixed(1)),
      workerBootSeconds: Number(((started - booting) / 1000).toFixed(2)),
      delivered: counted.count,
      requests: counted.requests,
      seconds: Number(seconds.toFixed(2)),
      deliveriesPerSec: Math.round((SLOW ? lags.length : counted.count) / seconds),
      fastLagFromStartP50ms: percentile(lags, 50),
      fastLagFromStartP99ms: percentile(lags, 99),
      ...machineLoad(),
    }),
  );
  await worker.close();
  receiver.stop();
  await t.close();
}

void main();
