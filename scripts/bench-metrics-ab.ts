import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig, randomToken } from '@payhub/common';
import { ensureDatabase } from '@payhub/database';
import { MerchantsService } from '@payhub/merchants';
import { ProviderConfigService } from '@payhub/provider-config';
import { INTERKASSA_DEMO_SEED } from './demo/interkassa.demo-seed';
import { RoutingService } from '@payhub/routing';
import { createAdminContext } from './admin-context';
import { cardDeposit, machineTimes, processCpuMs, waitFor } from './bench-support';

const cpuMs = (pid: number | undefined): number => processCpuMs(pid) ?? 0;
import { runMigrations } from './migrate';

/**
 * `npm run bench:metrics-ab -- [seconds] [connections per api]`: what metrics cost a deposit, measured
 * A/B at the same time rather than one run after another. Two api processes, one with metrics on and
 * one with METRICS_ENABLED=false, take card deposits side by side (same sandbox, same MySQL, same
 * moment), so whatever else the machine is doing weighs on both alike. Prints deposits/s, latency and
 * api CPU per deposit for each, and the machine's steal share.
 */
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const SECONDS = Number(args[0] ?? 10);
const CONNECTIONS = Number(args[1] ?? 25);
const SANDBOX_PORT = 4910;
const VARIANTS = [
  { name: 'metricsOn', port: 3910, enabled: 'true' },
  { name: 'metricsOff', port: 3911, enabled: 'false' },
] as const;

async function main(): Promise<void> {
  const base = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    SANDBOX_PORT: String(SANDBOX_PORT),
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/payhub_bench',
    QUEUE_PREFIX: `payhub-bench-${randomToken(4)}`,
    PAYHUB_SECRET_KEY: 'b'.repeat(64),
    // The bench measures the deposit path, not the limiter: one key at full speed would be refused (DESIGN §12).
    RATE_LIMIT_API_KEY_PER_S: '0',
    RATE_LIMIT_CALLBACKS_PER_S: '0',
  };
  const config = loadConfig(base);
  await ensureDatabase(config);
  await runMigrations(config, () => undefined);
  const admin = await createAdminContext(config);
  const { merchant, apiKey } = await admin.get(MerchantsService).create({ name: `bench-${randomToken(6)}` });
  await admin.get(ProviderConfigService).put(merchant.id, 'interkassa', INTERKASSA_DEMO_SEED.config(`http://127.0.0.1:${SANDBOX_PORT}`), 'bench');
  await admin.get(RoutingService).replaceRules(merchant.id, INTERKASSA_DEMO_SEED.rules, 'bench');
  await admin.close();

  const sandbox = run('apps/sandbox/src/main.js', base);
  const apis = VARIANTS.map((v) =>
    run('apps/api/src/main.js', { ...base, PORT: String(v.port), PUBLIC_URL: `http://127.0.0.1:${v.port}`, METRICS_ENABLED: v.enabled }),
  );
  try {
    await waitFor(`http://127.0.0.1:${SANDBOX_PORT}/health`);
    for (const v of VARIANTS) await waitFor(`http://127.0.0.1:${v.port}/health`);
    const load = (port: number, duration: number, connections: number) =>
      autocannon({
        url: `http://127.0.0.1:${port}/v1/deposits`,
        connections,
        duration,
        requests: [
          {
            method: 'POST',
            path: '/v1/deposits',
            headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
            setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify(cardDeposit()) }),
          },
        ],
      });
    await Promise.all(VARIANTS.map((v) => load(v.port, 3, 5)));
    const cpuBefore = apis.map((api) => cpuMs(api.pid));
    const machineBefore = machineTimes();
    const results = await Promise.all(VARIANTS.map((v) => load(v.port, SECONDS, CONNECTIONS)));
    const cpuAfter = apis.map((api) => cpuMs(api.pid));
    const machineAfter = machineTimes();
    const figures = Object.fromEntries(
      VARIANTS.map((v, i) => {
        const ok = results[i]['2xx'];
        return [
          v.name,
          {
            deposits: ok,
            depositsPerSec: Math.round(ok / SECONDS),
            latencyMs: { p50: results[i].latency.p50, p99: results[i].latency.p99 },
            errors: results[i].errors + results[i].non2xx,
            apiCpuMsPerDeposit: ok ? Number(((cpuAfter[i] - cpuBefore[i]) / ok).toFixed(3)) : null,
          },
        ];
      }),
    );
    const on = figures.metricsOn;
    const off = figures.metricsOff;
    console.log(
      JSON.stringify({
        seconds: SECONDS,
        connectionsPerApi: CONNECTIONS,
        ...figures,
        throughputOnVsOffPct: Number((100 * (on.depositsPerSec / off.depositsPerSec - 1)).toFixed(1)),
        apiCpuOnVsOffPct:
          on.apiCpuMsPerDeposit && off.apiCpuMsPerDeposit ? Number((100 * (on.apiCpuMsPerDeposit / off.apiCpuMsPerDeposit - 1)).toFixed(1)) : null,
        stealPct:
          machineBefore && machineAfter
            ? Number(((100 * (machineAfter.steal - machineBefore.steal)) / Math.max(1, machineAfter.total - machineBefore.total)).toFixed(1))
            : null,
        loadAverage1m: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
      }),
    );
  } finally {
    for (const child of [sandbox, ...apis]) child.kill('SIGTERM');
  }
}

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

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
