/**
 * What metrics cost a deposit: the calls one card deposit makes (HTTP counter and histogram, provider
 * call counter and histogram, two status changes) plus the instrumented adapter's proxy, with metrics
 * on and off, in-process. Read it beside `npm run bench` (the end-to-end figure, which machine noise
 * swamps at this size).
 *   npm run bench:metrics
 */
import { MetricsService } from '@payhub/common';
import { instrumentProvider, PaymentProvider, ProviderOutcome } from '@payhub/providers-core';
import { TxStatus } from '@payhub/transactions';

const OUTCOME: ProviderOutcome = { status: TxStatus.WAITING_INPUT, raw: {} };
const adapter = { id: 'interkassa', supports: () => true, deposit: async () => OUTCOME } as unknown as PaymentProvider;

async function perDeposit(metrics: MetricsService, total: number): Promise<number> {
  const provider = instrumentProvider(adapter, metrics);
  const started = process.hrtime.bigint();
  for (let i = 0; i < total; i++) {
    await provider.deposit({} as never, {} as never);
    metrics.transactionStatus('CreditcardDeposit', 'interkassa', 'REGISTERED');
    metrics.transactionStatus('CreditcardDeposit', 'interkassa', 'WAITING_INPUT');
    metrics.httpRequest('/v1/deposits', 'POST', 201, 0.012);
  }
  return Number(process.hrtime.bigint() - started) / total / 1000;
}

async function main(): Promise<void> {
  const total = 300_000;
  const figures: Record<string, number[]> = { on: [], off: [] };
  for (let round = 0; round < 3; round++) {
    for (const enabled of [false, true]) figures[enabled ? 'on' : 'off'].push(await perDeposit(new MetricsService(enabled), total));
  }
  const best = (xs: number[]) => Math.min(...xs);
  console.log(
    JSON.stringify({
      deposits: total,
      microsecondsPerDeposit: { metricsOff: Number(best(figures.off).toFixed(2)), metricsOn: Number(best(figures.on).toFixed(2)) },
      metricsCostMicroseconds: Number((best(figures.on) - best(figures.off)).toFixed(2)),
    }),
  );
}

void main();
