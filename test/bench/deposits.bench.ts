/**
 * Deposit-create latency through the real app, MySQL and Redis with the test provider:
 *   npm run bench
 * Not part of `npm test`: numbers depend on the machine.
 */
import { deposit, TestApp } from '../support/test-app';

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 1000);
  const concurrency = Number(process.argv[3] ?? 10);
  const t = await TestApp.start();
  const merchant = await t.newMerchant();
  await t.routeAllTo(merchant.id);
  for (let i = 0; i < 50; i++) await merchant.api.post('/v1/deposits', deposit());

  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t0 = performance.now();
        const res = await merchant.api.post('/v1/deposits', deposit(), { 'idempotency-key': `bench-${next}-${Math.random()}` });
        latencies.push(performance.now() - t0);
        if (res.status !== 201) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
  console.log(
    JSON.stringify({ requests: total, concurrency, failures, throughputPerSec: Math.round(total / seconds), p50ms: pct(50), p95ms: pct(95), p99ms: pct(99) }),
  );
  await t.close();
}

void main();
