import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
 * `BENCH_AB_DIST=<dir> npm run bench:api-ab -- [seconds] [connections per api] [--rounds 3]`: an optimisation
 * of the api measured A/B at the same time rather than one run after another. Two api processes take card
 * deposits side by side (same sandbox, same MySQL, same moment, as production runs them: JSON logs at `info`
 * to a file, metrics on): A from the compiled tree in BENCH_AB_DIST (a copy of dist/ from before the change,
 * its node_modules reachable from it; this dist/ when unset), B from this dist/. BENCH_AB_ENV_A (a JSON object)
 * sets environment variables for A alone, e.g. `{"LOG_LEVEL":"warn"}` to measure what logging at info costs.
 * Whatever else the machine is doing weighs on both alike. Prints, per round and as medians, deposits/s, latency and api CPU per deposit for each, the
 * difference B against A, the load average and the machine's steal share.
 */
const args = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--rounds');
const SECONDS = Number(args[0] ?? 10);
const CONNECTIONS = Number(args[1] ?? 25);
const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1] ?? 3) || 3;
const SANDBOX_PORT = 4920;
const DIST_A = process.env.BENCH_AB_DIST ?? resolve(__dirname, '..');
const ENV_A = JSON.parse(process.env.BENCH_AB_ENV_A ?? '{}') as Record<string, string>;
const VARIANTS = [
  { name: 'a', port: 3920, dist: DIST_A, env: ENV_A },
  { name: 'b', port: 3921, dist: resolve(__dirname, '..'), env: {} },
] as const;

async function main(): Promise<void> {
  const base = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
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

  if (!DIST_A || !existsSync(join(DIST_A, 'apps/api/src/main.js')))
    throw new Error('BENCH_AB_DIST must name a compiled tree (a copy of dist/) to compare with');
  const sandbox = run(VARIANTS[1].dist, 'apps/sandbox/src/main.js', base, 'ignore');
  const logs = VARIANTS.map((v) => openSync(join(tmpdir(), `payhub-bench-ab-${process.pid}-${v.name}.log`), 'a'));
  const apis = VARIANTS.map((v, i) =>
    run(v.dist, 'apps/api/src/main.js', { ...base, PORT: String(v.port), PUBLIC_URL: `http://127.0.0.1:${v.port}`, ...v.env }, logs[i]),
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
    const rounds: Array<Record<string, unknown> & { cpuBvsAPct: number | null; throughputBvsAPct: number }> = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const cpuBefore = apis.map((api) => cpuMs(api.pid));
      const machineBefore = machineTimes();
      const results = await Promise.all(VARIANTS.map((v) => load(v.port, SECONDS, CONNECTIONS)));
      const cpuAfter = apis.map((api) => cpuMs(api.pid));
      const machineAfter = machineTimes();
      const figures = VARIANTS.map((v, i) => {
        const ok = results[i]['2xx'];
        return {
          deposits: ok,
          depositsPerSec: Math.round(ok / SECONDS),
          latencyMs: { p50: results[i].latency.p50, p99: results[i].latency.p99 },
          errors: results[i].errors + results[i].non2xx + results[i].timeouts,
          apiCpuMsPerDeposit: ok ? Number(((cpuAfter[i] - cpuBefore[i]) / ok).toFixed(3)) : null,
        };
      });
      const [a, b] = figures;
      const measured = {
        round,
        a,
        b,
        throughputBvsAPct: Number((100 * (b.depositsPerSec / a.depositsPerSec - 1)).toFixed(1)),
        cpuBvsAPct: a.apiCpuMsPerDeposit && b.apiCpuMsPerDeposit ? Number((100 * (b.apiCpuMsPerDeposit / a.apiCpuMsPerDeposit - 1)).toFixed(1)) : null,
        stealPct:
          machineBefore && machineAfter
            ? Number(((100 * (machineAfter.steal - machineBefore.steal)) / Math.max(1, machineAfter.total - machineBefore.total)).toFixed(1))
            : null,
        loadAverage1m: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
      };
      rounds.push(measured);
      console.log(JSON.stringify(measured));
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor((values.length - 1) / 2)];
    console.log(
      JSON.stringify({
        summary: true,
        seconds: SECONDS,
        connectionsPerApi: CONNECTIONS,
        rounds: ROUNDS,
        medianCpuBvsAPct: median(rounds.map((r) => r.cpuBvsAPct ?? NaN)),
        medianThroughputBvsAPct: median(rounds.map((r) => r.throughputBvsAPct)),
      }),
    );
  } finally {
    for (const child of [sandbox, ...apis]) child.kill('SIGTERM');
    await Promise.all([sandbox, ...apis].map((child) => new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)))));
    for (const fd of logs) closeSync(fd);
  }
}

/** Runs a compiled entry point of the tree `dist`, its stdout (the JSON log) to `stdout`. */
function run(dist: string, entry: string, env: NodeJS.ProcessEnv, stdout: 'ignore' | number): ChildProcess {
  const child = spawn(process.execPath, ['-r', join(dist, 'scripts/register-paths.js'), join(dist, entry)], {
    env,
    stdio: ['ignore', stdout, 'inherit'],
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
