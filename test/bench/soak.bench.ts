/**
 * Soak: deposits, 3-D Secure approvals (the provider's callback) and refunds at a steady rate through
 * the api, with the worker and the Interkassa simulator each in its own process, for `--seconds`
 * (default 300); then reports webhook lag (outbox row → first arrival at the merchant's receiver),
 * status-sync enrolment lag, and whether every event was delivered (by eventId) or is visibly retrying.
 *   npm run bench:soak -- [--seconds 300] [--rate 40]
 */
import type { ChildProcess } from 'node:child_process';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { ALL_QUEUES, DeadLetters, randomToken } from '@payhub/common';
import { MerchantsService } from '@payhub/merchants';
import { ProviderConfigService } from '@payhub/provider-config';
import { INTERKASSA_DEMO_SEED } from '../../scripts/demo/interkassa.demo-seed';
import { RoutingService } from '@payhub/routing';
import { WEBHOOK_EVENT_TYPES } from '@payhub/transactions';
import { freePort } from '../support/free-port';
import { isolatedDatabaseUrl } from '../support/isolated-database';
import { TestApp } from '../support/test-app';
import { startApp } from './support/app-process';
import { machineLoad, percentile, Receiver } from './support/receiver';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 300);
const RATE = arg('rate', 40);
const DRAIN_S = 30;

async function main(): Promise<void> {
  const t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('bench_soak'), LOG_LEVEL: 'warn' } });
  const receiver = await Receiver.start();
  const [apiPort, sandboxPort] = [await freePort(), await freePort()];
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: t.config.databaseUrl,
    REDIS_URL: t.config.redisUrl,
    QUEUE_PREFIX: t.config.queuePrefix,
    PAYHUB_SECRET_KEY: 'a'.repeat(64),
    PORT: String(apiPort),
    PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
    SANDBOX_PORT: String(sandboxPort),
  };
  const children: ChildProcess[] = [];
  try {
    children.push(await startApp('sandbox', env, /listening/));
    children.push(await startApp('api', env, /listening/));
    children.push(await startApp('worker', env, /worker running/));
    const sandbox = `http://127.0.0.1:${sandboxPort}`;
    const api = `http://127.0.0.1:${apiPort}`;
    const created = await t.app
      .get(MerchantsService)
      .create({ name: `soak-${randomToken(4)}`, webhookUrl: `${receiver.url}/fast/soak`, webhookEvents: [...WEBHOOK_EVENT_TYPES] });
    await t.app.get(ProviderConfigService).put(created.merchant.id, 'interkassa', INTERKASSA_DEMO_SEED.config(sandbox), 'bench');
    await t.app.get(RoutingService).replaceRules(created.merchant.id, INTERKASSA_DEMO_SEED.rules, 'bench');
    const headers = { 'content-type': 'application/json', 'x-api-key': created.apiKey };
    const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });

    const tally = { deposits: 0, depositErrors: 0, approved: 0, callbackErrors: 0, refunds: 0, refundErrors: 0, leftWaiting: 0 };
    // What the errors were: an HTTP status, or the fetch failure's cause (a refused or reset connection).
    const errors: Record<string, number> = {};
    const failed = (what: string) => (errors[what] = (errors[what] ?? 0) + 1);
    const journeys: Promise<void>[] = [];
    const journey = async (n: number) => {
      const res = await post(`${api}/v1/deposits`, {
        merchantTxId: `soak-${n}-${randomToken(4)}`,
        userId: 'soak',
        txType: 'CreditcardDeposit',
        amount: 150000,
        currency: 'UAH',
        country: 'UA',
        card: { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', cvv: '123', holder: 'SOAK USER' },
        customer: { email: 'soak@payhub.local' },
        redirectUrls: { success: 'https://m.example/ok' },
      });
      if (res.status !== 201) {
        failed(`deposit ${res.status} ${((await res.json().catch(() => ({}))) as { code?: string }).code ?? ''}`.trim());
        return void tally.depositErrors++;
      }
      tally.deposits++;
      const tx = (await res.json()) as { id: string; nextAction?: { url?: string } };
      // Three in ten customers never finish 3-D Secure: status sync takes those up.
      if (n % 10 < 3 || !tx.nextAction?.url) return void tally.leftWaiting++;
      await new Promise((r) => setTimeout(r, 200));
      const approved = await fetch(`${tx.nextAction.url}/approve`, { method: 'POST', redirect: 'manual' });
      if (approved.headers.get('x-ik-callback-status') !== '200' && approved.status >= 400) return void tally.callbackErrors++;
      tally.approved++;
      if (n % 10 < 6) return;
      const refund = await post(`${api}/v1/transactions/${tx.id}/refunds`, { amount: 50000, merchantRefundId: `r-${tx.id}` });
      if (refund.status === 201) tally.refunds++;
      else {
        failed(`refund ${refund.status} ${((await refund.json().catch(() => ({}))) as { code?: string }).code ?? ''}`.trim());
        tally.refundErrors++;
      }
    };

    const started = Date.now();
    for (let n = 0; Date.now() - started < SECONDS * 1000; n++) {
      journeys.push(
        journey(n).catch((error: Error & { cause?: { code?: string } }) => {
          failed(`fetch ${error.cause?.code ?? error.message}`);
          tally.depositErrors++;
        }),
      );
      const due = started + ((n + 1) * 1000) / RATE;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    }
    await Promise.all(journeys);
    const loadEnd = Date.now();

    // Drain: until every event arrived at the receiver or is visibly retrying, at most DRAIN_S.
    const snapshot = async () => {
      const arrivals = await receiver.arrivals();
      const events: Array<{ eventId: string; createdAt: Date; status: string | null; attempts: number | null }> = await t.db.query(
        `SELECT o.event_id AS eventId, o.created_at AS createdAt, d.status, d.attempt_count AS attempts FROM outbox o LEFT JOIN webhook_deliveries d ON d.event_id = o.event_id WHERE o.merchant_id = ?`,
        [created.merchant.id],
      );
      const notArrived = events.filter((e) => !arrivals.has(e.eventId));
      const retrying = notArrived.filter((e) => e.status === 'pending' && Number(e.attempts) > 0).length;
      return { arrivals, events, notArrived, retrying };
    };
    let snap = await snapshot();
    while (snap.notArrived.length > snap.retrying && Date.now() - loadEnd < DRAIN_S * 1000) {
      await new Promise((r) => setTimeout(r, 1000));
      snap = await snapshot();
    }
    const { arrivals, events, notArrived, retrying } = snap;
    const lags = events
      .filter((e) => arrivals.has(e.eventId))
      .map((e) => arrivals.get(e.eventId)! - new Date(e.createdAt).getTime())
      .sort((a, b) => a - b);
    const enrolLag: Array<{ lag: number }> = await t.db.query(
      `SELECT TIMESTAMPDIFF(MICROSECOND, o.created_at, s.created_at) / 1000 AS lag FROM status_checks s
         JOIN outbox o ON o.transaction_id = s.transaction_id AND o.id = (SELECT MIN(o2.id) FROM outbox o2 WHERE o2.transaction_id = s.transaction_id AND JSON_UNQUOTE(JSON_EXTRACT(o2.payload, '$.transaction.status')) = 'WAITING_INPUT')`,
    );
    const enrol = enrolLag.map((r) => Number(r.lag)).sort((a, b) => a - b);
    const failedJobs: Record<string, number> = {};
    for (const name of ALL_QUEUES) failedJobs[name] = (await t.app.get<Queue>(getQueueToken(name)).getJobCounts()).failed;
    console.log(
      JSON.stringify({
        seconds: SECONDS,
        ratePerSec: RATE,
        ...tally,
        errors,
        events: events.length,
        delivered: events.length - notArrived.length,
        retrying,
        lost: notArrived.length - retrying,
        notArrivedByStatus: notArrived.reduce<Record<string, number>>((m, e) => ({ ...m, [String(e.status)]: (m[String(e.status)] ?? 0) + 1 }), {}),
        webhookLagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.at(-1) ?? null },
        statusSyncEnrolLagMs: { enrolled: enrol.length, p50: percentile(enrol, 50), p99: percentile(enrol, 99) },
        failedJobs,
        deadLetters: (await t.app.get(DeadLetters).list(100000)).length,
        ...machineLoad(),
      }),
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    receiver.stop();
    await t.close();
  }
}

void main();
