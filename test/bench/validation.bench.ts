/**
 * The deposit body through the global validation pipe, in-process: class-validator alone against the
 * rules gathered once (compiled-validation.ts), interleaved in rounds so machine load falls on both alike.
 *   npm run bench:validation -- [--rounds 7] [--count 20000]
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { createValidationPipe } from '@payhub/common';
import { DepositRequestDto } from '@payhub/payments';

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? fallback) || fallback;
const ROUNDS = arg('rounds', 7);
const COUNT = arg('count', 20000);

/** What `npm run bench` sends (scripts/bench.ts). */
const body = () => ({
  merchantTxId: `bench-${Math.random().toString(36).slice(2)}`,
  userId: 'bench-user',
  txType: 'CreditcardDeposit',
  amount: 150000,
  currency: 'UAH',
  country: 'UA',
  card: { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', cvv: '123', holder: 'BENCH USER' },
  customer: { email: 'bench@payhub.local' },
  redirectUrls: { success: 'https://m.example/ok' },
});

async function timed(compiled: boolean): Promise<number> {
  const pipe = createValidationPipe({ compiled });
  const metadata = { type: 'body' as const, metatype: DepositRequestDto, data: undefined };
  const bodies = Array.from({ length: COUNT }, body);
  const started = process.cpuUsage();
  for (const b of bodies) await pipe.transform(b, metadata);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / COUNT;
}

async function main(): Promise<void> {
  await timed(true);
  await timed(false);
  const runs: Array<{ classValidatorUs: number; compiledUs: number }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const first = round % 2 === 0;
    const a = await timed(!first);
    const b = await timed(first);
    runs.push(first ? { classValidatorUs: a, compiledUs: b } : { classValidatorUs: b, compiledUs: a });
  }
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
  const classValidatorUs = median(runs.map((r) => r.classValidatorUs));
  const compiledUs = median(runs.map((r) => r.compiledUs));
  console.log(
    JSON.stringify({
      count: COUNT,
      rounds: ROUNDS,
      cpuUsPerBody: { classValidator: Number(classValidatorUs.toFixed(1)), compiled: Number(compiledUs.toFixed(1)) },
      saved: `${(100 * (1 - compiledUs / classValidatorUs)).toFixed(0)} %`,
      loadAverage: Number(loadavg()[0].toFixed(1)),
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
