/**
 * Status sync at volume: 100,000 transactions entered WAITING_INPUT two minutes ago (rows written in
 * bulk SQL the way the state machine writes them: the transaction and its outbox row), a worker starts,
 * and the clock runs until every one is enrolled, every due check dispatched (leased and enqueued) and,
 * within the window, as many as possible asked at the Interkassa simulator (sandbox process).
 *   npm run bench:status-sync -- [--count 100000] [--seconds 60] [--provider-concurrency 16]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { NestFactory } from '@nestjs/core';
import { newId } from '@payhub/common';
import { ProviderConfigService } from '@payhub/provider-config';
import { DEFAULT_RECONCILIATION_OPTIONS } from '@payhub/reconciliation';
import { INTERKASSA_DEMO_SEED } from '../../scripts/demo/interkassa.demo-seed';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { freePort } from '../support/free-port';
import { isolatedDatabaseUrl } from '../support/isolated-database';
import { TestApp } from '../support/test-app';
import { machineLoad } from './support/receiver';
import { SandboxProcess } from './support/sandbox-process';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const COUNT = arg('count', 100000);
const WINDOW_S = arg('seconds', 60);
const PROVIDER_CONCURRENCY = arg('provider-concurrency', DEFAULT_RECONCILIATION_OPTIONS.providerConcurrency);
const CHUNK = 5000;

/** The machine's CPU time and its steal part so far (/proc/stat, in ticks); null off Linux. */
function machineTimes(): { total: number; steal: number; idle: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), steal: fields[7] ?? 0, idle: (fields[3] ?? 0) + (fields[4] ?? 0) };
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('bench_status'), LOG_LEVEL: 'warn' } });
  const sandbox = await SandboxProcess.start(await freePort(), { NODE_ENV: 'test', DATABASE_URL: t.config.databaseUrl, PAYHUB_SECRET_KEY: 'a'.repeat(64) });
  const merchant = await t.newMerchant();
  await t.app.get(ProviderConfigService).put(merchant.id, 'interkassa', INTERKASSA_DEMO_SEED.config(sandbox.url), 'bench');

  const seeded = performance.now();
  const at = new Date(Date.now() - 2 * 60 * 1000);
  for (let i = 0; i < COUNT; i += CHUNK) {
    const ids = Array.from({ length: Math.min(CHUNK, COUNT - i) }, () => newId('tx'));
    await t.db.query(
      `INSERT INTO transactions (id, merchant_id, merchant_tx_id, user_id, tx_type, status, amount, currency, country, provider, provider_account, refunded_amount, version, created_at, updated_at) VALUES ?`,
      [ids.map((id) => [id, merchant.id, id, 'u1', 'CreditcardDeposit', 'WAITING_INPUT', 150000, 'UAH', 'UA', 'interkassa', 'DEFAULT', 0, 1, at, at])],
    );
    // Webhooks of these are long delivered (published); status sync has not read them yet.
    await t.db.query('INSERT INTO outbox (event_id, merchant_id, transaction_id, type, payload, created_at, published_at) VALUES ?', [
      ids.map((id) => [newId('evt'), merchant.id, id, 'transaction.updated', '{}', at, at]),
    ]);
  }
  const seedSeconds = (performance.now() - seeded) / 1000;

  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config, { reconciliation: { providerConcurrency: PROVIDER_CONCURRENCY } }), {
    logger: ['error'],
  });
  await worker.init();
  const machineBefore = machineTimes();
  const loadBefore = Number(loadavg()[0].toFixed(2));
  const started = Date.now();
  const marks: { enrolledS?: number; dispatchedS?: number; askedAllS?: number } = {};
  let counts = { enrolled: 0, dispatched: 0, asked: 0 };
  while (Date.now() - started < WINDOW_S * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    const [row] = await t.db.query(
      `SELECT COUNT(*) AS enrolled, SUM(dispatch_token IS NOT NULL OR step > 0) AS dispatched, SUM(step > 0) AS asked FROM status_checks`,
    );
    counts = { enrolled: Number(row.enrolled), dispatched: Number(row.dispatched ?? 0), asked: Number(row.asked ?? 0) };
    const s = Number(((Date.now() - started) / 1000).toFixed(1));
    if (counts.enrolled >= COUNT) marks.enrolledS ??= s;
    if (counts.dispatched >= COUNT) marks.dispatchedS ??= s;
    if (counts.asked >= COUNT) {
      marks.askedAllS = s;
      break;
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const machineAfter = machineTimes();
  const share = (part: 'steal' | 'idle') =>
    machineBefore && machineAfter
      ? Number(((100 * (machineAfter[part] - machineBefore[part])) / Math.max(1, machineAfter.total - machineBefore.total)).toFixed(1))
      : null;
  console.log(
    JSON.stringify({
      count: COUNT,
      seedSeconds: Number(seedSeconds.toFixed(1)),
      windowSeconds: WINDOW_S,
      providerConcurrency: PROVIDER_CONCURRENCY,
      ...marks,
      ...counts,
      askedPerSec: Math.round(counts.asked / seconds),
      load1AtStart: loadBefore,
      ...machineLoad(),
      stealPct: share('steal'),
      idlePct: share('idle'),
    }),
  );
  await worker.close();
  sandbox.stop();
  await t.close();
}

void main();
