import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig, randomToken } from '@payhub/common';
import { MerchantsService } from '@payhub/merchants';
import { ProviderConfigService } from '@payhub/provider-config';
import { INTERKASSA_DEMO_SEED } from './demo/interkassa.demo-seed';
import { RoutingService } from '@payhub/routing';
import { createAdminContext } from './admin-context';
import { runMigrations } from './migrate';
import { ensureDatabase } from '@payhub/database';

/**
 * `npm run bench`: card deposits through payhub (api process) into the Interkassa simulator (sandbox
 * process) with autocannon, 50 connections. Uses its own database (payhub_bench) and queue prefix.
 *   npm run bench -- [seconds] [connections] [--baseline]
 * `--baseline` runs the same load against scripts/bench-baseline-server.ts, the least a deposit can do,
 * so payhub's figures can be read against what this machine allows. `--with-worker` runs a worker beside
 * the api, delivering every deposit's webhooks to a receiver process, to see what a busy worker costs the api.
 */
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const BASELINE = process.argv.includes('--baseline');
const WITH_WORKER = process.argv.includes('--with-worker');
/** A merchant endpoint in its own process that answers 200 and counts requests (GET answers the count). */
const RECEIVER = `let n = 0; require('node:http').createServer((req, res) => { if (req.method === 'GET') return res.end(String(n));
  req.resume(); req.on('end', () => { n++; res.end('ok'); }); }).listen(Number(process.env.RECEIVER_PORT), '127.0.0.1');`;
const RECEIVER_PORT = 4901;
const SECONDS = Number(args[0] ?? 15);
const CONNECTIONS = Number(args[1] ?? 50);
const API_PORT = 3900;
const SANDBOX_PORT = 4900;

async function main(): Promise<void> {
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    PORT: String(API_PORT),
    SANDBOX_PORT: String(SANDBOX_PORT),
    PUBLIC_URL: `http://127.0.0.1:${API_PORT}`,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/payhub_bench',
    QUEUE_PREFIX: `payhub-bench-${randomToken(4)}`,
    PAYHUB_SECRET_KEY: 'b'.repeat(64),
    // The bench measures the deposit path, not the limiter: one key at full speed would be refused (DESIGN §12).
    RATE_LIMIT_API_KEY_PER_S: '0',
    RATE_LIMIT_CALLBACKS_PER_S: '0',
  };
  const config = loadConfig(env);
  await ensureDatabase(config);
  await runMigrations(config, () => undefined);

  const admin = await createAdminContext(config);
  const webhookUrl = WITH_WORKER ? `http://127.0.0.1:${RECEIVER_PORT}/hooks` : null;
  const { merchant, apiKey } = await admin.get(MerchantsService).create({ name: `bench-${randomToken(6)}`, webhookUrl });
  await admin.get(ProviderConfigService).put(merchant.id, 'interkassa', INTERKASSA_DEMO_SEED.config(`http://127.0.0.1:${SANDBOX_PORT}`), 'bench');
  await admin.get(RoutingService).replaceRules(merchant.id, INTERKASSA_DEMO_SEED.rules, 'bench');
  await admin.close();

  const children = [
    run('apps/sandbox/src/main.js', env),
    run(BASELINE ? 'scripts/bench-baseline-server.js' : 'apps/api/src/main.js', { ...env, BENCH_MERCHANT_ID: merchant.id }),
  ];
  if (WITH_WORKER) {
    children.push(run('apps/worker/src/main.js', env));
    children.push(spawn(process.execPath, ['-e', RECEIVER], { env: { ...env, RECEIVER_PORT: String(RECEIVER_PORT) }, stdio: 'ignore' }));
  }
  try {
    await waitFor(`http://127.0.0.1:${SANDBOX_PORT}/health`);
    await waitFor(`http://127.0.0.1:${API_PORT}/health`);
    const url = `http://127.0.0.1:${API_PORT}/v1/deposits`;
    const request: autocannon.Request = {
      method: 'POST',
      path: '/v1/deposits',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify(cardDeposit()) }),
    };
    await autocannon({ url, connections: 10, duration: 3, requests: [request] });
    const processes = {
      api: children[1].pid,
      sandbox: children[0].pid,
      worker: WITH_WORKER ? children[2].pid : undefined,
      mysql: pidOf('mariadbd') ?? pidOf('mysqld'),
      bench: process.pid,
    };
    const cpuBefore = cpuTimes(processes);
    const machineBefore = machineTimes();
    const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, requests: [request] });
    const cpuAfter = cpuTimes(processes);
    const machineAfter = machineTimes();
    const ok = result['2xx'];
    const webhooksReceived = WITH_WORKER ? Number(await (await fetch(`http://127.0.0.1:${RECEIVER_PORT}/`)).text()) : null;
    console.log(
      JSON.stringify({
        server: BASELINE ? 'baseline' : 'payhub',
        withWorker: WITH_WORKER,
        webhooksReceived,
        connections: CONNECTIONS,
        seconds: SECONDS,
        deposits: ok,
        depositsPerSec: Math.round(ok / SECONDS),
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        // CPU milliseconds each process spent per deposit (Linux /proc); the load generator is `bench`.
        // Share of the machine's CPU time taken by the hypervisor (steal): above a few percent, figures drift.
        stealPct:
          machineBefore && machineAfter
            ? Number(((100 * (machineAfter.steal - machineBefore.steal)) / Math.max(1, machineAfter.total - machineBefore.total)).toFixed(1))
            : null,
        cpuMsPerDeposit: Object.fromEntries(
          Object.keys(cpuBefore).map((name) => [name, ok ? Number(((cpuAfter[name] - cpuBefore[name]) / ok).toFixed(2)) : null]),
        ),
      }),
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

function cardDeposit(): Record<string, unknown> {
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

/** Runs a compiled entry point (relative to dist/) as a child process. */
function run(entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['-r', resolve(__dirname, 'register-paths.js'), resolve(__dirname, '..', entry)], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('exit', (code) => {
    if (code) console.error(`${entry} exited with ${code}`);
  });
  return child;
}

/** utime + stime in milliseconds per named process, where /proc can tell. */
function cpuTimes(pids: Record<string, number | undefined>): Record<string, number> {
  const ticksPerMs = 100 / 1000;
  const times: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    if (!pid) continue;
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      times[name] = (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
    } catch {
      // not Linux, or the process is gone
    }
  }
  return times;
}

/** Total and steal jiffies of the whole machine (/proc/stat), or null where there is none. */
function machineTimes(): { total: number; steal: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}

function pidOf(command: string): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (/^\d+$/.test(entry) && readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command) return Number(entry);
    }
  } catch {
    // no /proc
  }
  return undefined;
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
