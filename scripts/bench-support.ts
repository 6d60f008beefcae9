import { readFileSync } from 'node:fs';
import { randomToken } from '@payhub/common';

/** What the deposit benchmarks (bench, bench:api-ab, bench:metrics-ab) share: the body they send and /proc readings. */

/** One card deposit the Interkassa simulator approves (the demo merchant's routing sends it there). */
export function cardDeposit(): Record<string, unknown> {
  return {
    merchantTxId: `bench-${randomToken(10)}`,
    userId: 'bench-user',
    txType: 'CreditcardDeposit',
    amount: 150000,
    currency: 'UAH',
    country: 'UA',
    card: { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', cvv: '123', holder: 'BENCH USER' },
    customer: { email: 'bench@payhub.local' },
    redirectUrls: { success: 'https://m.example/ok' },
  };
}

/** utime + stime of a process in milliseconds (Linux /proc, 100 ticks a second); undefined where it cannot be read. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

/** The machine's CPU time and its steal share so far (/proc/stat), null where it cannot be read. */
export function machineTimes(): { total: number; steal: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}

/** Resolves once `url` answers 2xx; gives up after a minute. */
export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}
