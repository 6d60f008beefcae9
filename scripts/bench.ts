import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import autocannon from 'autocannon';
import { AppConfig, loadConfig, randomToken } from '@payhub/common';
import { MerchantsService } from '@payhub/merchants';
import { ProviderConfigService } from '@payhub/provider-config';
import { INTERKASSA_DEMO_SEED } from './demo/interkassa.demo-seed';
import { RoutingService } from '@payhub/routing';
import { createAdminContext } from './admin-context';
import { cardDeposit, machineTimes, processCpuMs, waitFor } from './bench-support';
import { runMigrations } from './migrate';
import { ensureDatabase } from '@payhub/database';

/**
 * `npm run bench`: card deposits through payhub (api process) into the Interkassa simulator (sandbox
 * process) with autocannon, 50 connections. Uses its own database (payhub_bench) and queue prefix.
 *   npm run bench -- [seconds] [connections] [--baseline]
 * `--baseline` runs the same load against scripts/bench-baseline-server.ts, the least a deposit can do,
 * so payhub's figures can be read against what this machine allows.
 *   npm run bench -- [seconds] [connections] --with-worker [--rounds 3]
 * runs, round after round in turns, the baseline, the api alone and the whole system (api and worker as
 * production runs them: separate processes, JSON logs at info to a file, metrics on) with the webhooks
 * delivered to a fast receiver process, waits for every webhook to arrive, and prints each run and the
 * medians with their ratios to the baseline.
 *   BENCH_WORKER_BEFORE=<dist dir of another build> npm run bench -- [seconds] [connections] --with-worker
 * runs the api alone and the whole system twice, with this build's worker and with the other build's
 * (same api), interleaved: an A/B of a worker change on the same machine at the same time.
 */
const args = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--rounds');
const BASELINE = process.argv.includes('--baseline');
const WITH_WORKER = process.argv.includes('--with-worker');
/** `--cpu-prof`: the api and the worker write V8 CPU profiles to BENCH_PROFILE_DIR (default: the system's tmp dir). */
const CPU_PROF = process.argv.includes('--cpu-prof');
const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1] ?? 3) || 3;
/** A merchant endpoint in its own process that answers 200 and counts distinct events (GET answers the counts). */
const RECEIVER = `const seen = new Set(); let requests = 0; require('node:http').createServer((req, res) => {
  if (req.method === 'GET') return res.end(JSON.stringify({ events: seen.size, requests }));
  req.resume(); req.on('end', () => { requests++; seen.add(req.headers['payhub-event-id']); res.end('ok'); }); }).listen(Number(process.env.RECEIVER_PORT), '127.0.0.1');`;
const SECONDS = Number(args[0] ?? 15);
const CONNECTIONS = Number(args[1] ?? 50);
/** How long the whole system may take after the load to deliver every webhook before the run counts as failed. */
const DRAIN_LIMIT_MS = 120_000;
/** A dist/ directory of another build (BENCH_WORKER_BEFORE): its worker runs in the `system-before` scenario. */
const WORKER_BEFORE = process.env.BENCH_WORKER_BEFORE ? resolve(process.env.BENCH_WORKER_BEFORE) : null;

type Scenario = 'baseline' | 'api' | 'system' | 'system-before';

interface Ports {
  api: number;
  sandbox: number;
  receiver: number;
  workerMetrics: number;
}

interface RunResult {
  scenario: Scenario;
  deposits: number;
  depositsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  non2xx: number;
  timeouts: number;
  stealPct: number | null;
  loadAverage: number;
  cpuMsPerDeposit: Record<string, number | null>;
  mysqlCpuMsPerDeposit?: Record<string, number | null>;
  webhooks?: { expected: number; received: number; drainMs: number | null; workerDrainCpuMs: number | null };
}

async function main(): Promise<void> {
  const ports: Ports = { api: await freePort(), sandbox: await freePort(), receiver: await freePort(), workerMetrics: await freePort() };
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? (WITH_WORKER ? 'info' : 'warn'),
    PORT: String(ports.api),
    SANDBOX_PORT: String(ports.sandbox),
    WORKER_METRICS_PORT: String(ports.workerMetrics),
    PUBLIC_URL: `http://127.0.0.1:${ports.api}`,
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

  if (!WITH_WORKER) {
    console.log(JSON.stringify(await runOnce(BASELINE ? 'baseline' : 'api', env, config, ports)));
    return;
  }
  const order: Scenario[] = WORKER_BEFORE ? ['api', 'system-before', 'system'] : ['baseline', 'api', 'system'];
  const results: RunResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, and each round starts elsewhere, so a burst of load elsewhere on the machine does not favour one.
    for (let i = 0; i < order.length; i++) {
      const result = await runOnce(order[(round + i) % order.length], env, config, ports);
      results.push(result);
      console.log(JSON.stringify({ round: round + 1, ...result }));
    }
  }
  console.log(JSON.stringify(summarise(results)));
}

/** One measured run of a scenario on fresh processes and a fresh merchant. */
async function runOnce(scenario: Scenario, env: NodeJS.ProcessEnv, config: AppConfig, ports: Ports): Promise<RunResult> {
  const withWorker = scenario === 'system' || scenario === 'system-before';
  const admin = await createAdminContext(config);
  const webhookUrl = withWorker ? `http://127.0.0.1:${ports.receiver}/hooks` : null;
  // A new merchant takes the default webhook selection, as a merchant onboarded today does.
  const { merchant, apiKey } = await admin.get(MerchantsService).create({ name: `bench-${randomToken(6)}`, webhookUrl });
  await admin.get(ProviderConfigService).put(merchant.id, 'interkassa', INTERKASSA_DEMO_SEED.config(`http://127.0.0.1:${ports.sandbox}`), 'bench');
  await admin.get(RoutingService).replaceRules(merchant.id, INTERKASSA_DEMO_SEED.rules, 'bench');
  const db = admin.get(DataSource);
  // Earlier runs' events are not this run's work: a worker started now would relay and status-sync them first.
  await db.query('UPDATE outbox SET published_at = NOW(3), status_synced_at = NOW(3) WHERE published_at IS NULL OR status_synced_at IS NULL');
  await db.query('DELETE FROM status_checks');

  const logs = openSync(join(tmpdir(), `payhub-bench-${process.pid}.log`), 'a');
  const children = [
    run('apps/sandbox/src/main.js', env, 'ignore'),
    run(scenario === 'baseline' ? 'scripts/bench-baseline-server.js' : 'apps/api/src/main.js', { ...env, BENCH_MERCHANT_ID: merchant.id }, logs),
  ];
  if (withWorker) {
    children.push(run('apps/worker/src/main.js', env, logs, scenario === 'system-before' ? WORKER_BEFORE! : resolve(__dirname, '..')));
    children.push(spawn(process.execPath, ['-e', RECEIVER], { env: { ...env, RECEIVER_PORT: String(ports.receiver) }, stdio: 'ignore' }));
  }
  try {
    await waitFor(`http://127.0.0.1:${ports.sandbox}/health`);
    await waitFor(`http://127.0.0.1:${ports.api}/health`);
    if (withWorker) await waitFor(`http://127.0.0.1:${ports.receiver}/`);
    const url = `http://127.0.0.1:${ports.api}/v1/deposits`;
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
      worker: withWorker ? children[2].pid : undefined,
      mysql: pidOf('mariadbd') ?? pidOf('mysqld'),
      bench: process.pid,
    };
    const owners = { api: processes.api, worker: processes.worker };
    const cpuBefore = cpuTimes(processes);
    const machineBefore = machineTimes();
    const threadsBefore = mysqlThreadTimes(processes.mysql);
    const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, requests: [request] });
    const cpuAfter = cpuTimes(processes);
    const machineAfter = machineTimes();
    const ownMysql = await mysqlCpuByOwner(db, processes.mysql, threadsBefore, owners);
    const ok = result['2xx'];
    const measured: RunResult = {
      scenario,
      deposits: ok,
      depositsPerSec: Math.round(ok / SECONDS),
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      errors: result.errors,
      non2xx: result.non2xx,
      timeouts: result.timeouts,
      // Share of the machine's CPU time taken by the hypervisor (steal): above a few percent, figures drift.
      stealPct:
        machineBefore && machineAfter
          ? Number(((100 * (machineAfter.steal - machineBefore.steal)) / Math.max(1, machineAfter.total - machineBefore.total)).toFixed(1))
          : null,
      loadAverage: Number(loadavg()[0].toFixed(1)),
      // CPU milliseconds each process spent per deposit during the load (Linux /proc); the load generator is `bench`.
      cpuMsPerDeposit: Object.fromEntries(
        Object.keys(cpuBefore).map((name) => [name, ok ? Number(((cpuAfter[name] - cpuBefore[name]) / ok).toFixed(2)) : null]),
      ),
      // MySQL CPU of the server threads serving each process's own connections: unlike `mysql`, not shared with other databases' clients.
      mysqlCpuMsPerDeposit: Object.fromEntries(Object.entries(ownMysql).map(([name, ms]) => [name, ok ? Number((ms / ok).toFixed(2)) : null])),
    };
    if (withWorker) measured.webhooks = await drain(db, merchant.id, ports.receiver, processes.worker, cpuAfter.worker);
    return measured;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)))));
    closeSync(logs);
    await admin.close();
  }
}

/**
 * From the end of the load until every event the merchant selected has reached the receiver: the outbox
 * relayed, no delivery left pending, and as many distinct events received as there are deliveries.
 */
async function drain(
  db: DataSource,
  merchantId: string,
  receiverPort: number,
  workerPid: number | undefined,
  workerCpuAtLoadEnd: number | undefined,
): Promise<NonNullable<RunResult['webhooks']>> {
  const started = Date.now();
  let expected = 0;
  let received = 0;
  while (Date.now() - started < DRAIN_LIMIT_MS) {
    const [row] = (await db.query(
      `SELECT (SELECT COUNT(*) FROM outbox WHERE merchant_id = ? AND published_at IS NULL) AS unpublished,
              (SELECT COUNT(*) FROM webhook_deliveries WHERE merchant_id = ?) AS deliveries,
              (SELECT COUNT(*) FROM webhook_deliveries WHERE merchant_id = ? AND status <> 'delivered') AS undelivered`,
      [merchantId, merchantId, merchantId],
    )) as Array<{ unpublished: string; deliveries: string; undelivered: string }>;
    expected = Number(row.deliveries);
    received = ((await (await fetch(`http://127.0.0.1:${receiverPort}/`)).json()) as { events: number }).events;
    if (Number(row.unpublished) === 0 && Number(row.undelivered) === 0 && received >= expected) {
      const drainMs = Date.now() - started;
      const cpu = workerPid ? cpuTimes({ worker: workerPid }).worker : undefined;
      return {
        expected,
        received,
        drainMs,
        workerDrainCpuMs: cpu !== undefined && workerCpuAtLoadEnd !== undefined ? Math.round(cpu - workerCpuAtLoadEnd) : null,
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { expected, received, drainMs: null, workerDrainCpuMs: null };
}

/** Medians per scenario and the ratios the issue sets targets for (whole system ≥ 0.7×, api alone ≥ 0.85× the baseline). */
function summarise(results: RunResult[]): Record<string, unknown> {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
  };
  const of = (scenario: Scenario) => results.filter((r) => r.scenario === scenario);
  const figures = (scenario: Scenario) => {
    const runs = of(scenario);
    const cpuNames = Object.keys(runs[0]?.cpuMsPerDeposit ?? {});
    return {
      depositsPerSec: median(runs.map((r) => r.depositsPerSec)),
      p50: median(runs.map((r) => r.latencyMs.p50)),
      p99: median(runs.map((r) => r.latencyMs.p99)),
      errors: runs.reduce((n, r) => n + r.errors + r.non2xx + r.timeouts, 0),
      cpuMsPerDeposit: Object.fromEntries(cpuNames.map((name) => [name, median(runs.map((r) => r.cpuMsPerDeposit[name] ?? NaN))])),
      mysqlCpuMsPerDeposit: Object.fromEntries(
        Object.keys(runs[0]?.mysqlCpuMsPerDeposit ?? {}).map((name) => [name, median(runs.map((r) => r.mysqlCpuMsPerDeposit?.[name] ?? NaN))]),
      ),
    };
  };
  const api = figures('api');
  const paired = (scenario: Scenario, against: Scenario) =>
    // Ratio per round, against that round's run of the other scenario, then the median: a quieter or busier round counts once.
    median(of(scenario).map((r, i) => Number((r.depositsPerSec / of(against)[i].depositsPerSec).toFixed(3))));
  const whole = (scenario: Scenario) => {
    const runs = of(scenario);
    return {
      ...figures(scenario),
      ...(WORKER_BEFORE ? {} : { ratioToBaseline: paired(scenario, 'baseline') }),
      ratioToApiAlone: paired(scenario, 'api'),
      drainMs: median(runs.map((r) => r.webhooks?.drainMs ?? Infinity)),
      everyWebhookDelivered: runs.every((r) => r.webhooks && r.webhooks.drainMs !== null && r.webhooks.received >= r.webhooks.expected),
      webhooks: runs.map((r) => r.webhooks),
    };
  };
  return {
    summary: true,
    rounds: ROUNDS,
    seconds: SECONDS,
    connections: CONNECTIONS,
    ...(WORKER_BEFORE
      ? { api, systemBefore: { workerFrom: WORKER_BEFORE, ...whole('system-before') } }
      : { baseline: figures('baseline'), api: { ...api, ratioToBaseline: paired('api', 'baseline') } }),
    system: whole('system'),
    loadAverage: results.map((r) => r.loadAverage),
    stealPct: results.map((r) => r.stealPct),
  };
}

/** Runs a compiled entry point (relative to dist/) as a child process, its stdout (the JSON log) to `stdout`. */
function run(entry: string, env: NodeJS.ProcessEnv, stdout: 'ignore' | number, root = resolve(__dirname, '..')): ChildProcess {
  const profile = CPU_PROF && !entry.includes('sandbox') ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR ?? tmpdir()] : [];
  const child = spawn(process.execPath, [...profile, '-r', resolve(root, 'scripts/register-paths.js'), resolve(root, entry)], {
    env,
    stdio: ['ignore', stdout, 'inherit'],
  });
  child.on('exit', (code) => {
    if (code) console.error(`${entry} exited with ${code}`);
  });
  return child;
}

/** utime + stime in milliseconds per named process, where /proc can tell. */
function cpuTimes(pids: Record<string, number | undefined>): Record<string, number> {
  const times: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    if (!pid) continue;
    const ms = processCpuMs(pid);
    if (ms !== undefined) times[name] = ms;
  }
  return times;
}

/** CPU milliseconds of each thread of the MySQL server (one thread per connection), by its OS thread id. */
function mysqlThreadTimes(mysqlPid: number | undefined): Map<number, number> {
  const times = new Map<number, number>();
  if (!mysqlPid) return times;
  try {
    for (const tid of readdirSync(`/proc/${mysqlPid}/task`)) {
      try {
        const fields = readFileSync(`/proc/${mysqlPid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
        times.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * 10);
      } catch {
        // the thread ended
      }
    }
  } catch {
    // not Linux, or not allowed
  }
  return times;
}

/**
 * MySQL CPU spent since `before` by the server threads of the connections each named process holds to this
 * database: the connection's client port (PROCESSLIST.HOST) is matched to a socket the process owns.
 */
async function mysqlCpuByOwner(
  db: DataSource,
  mysqlPid: number | undefined,
  before: Map<number, number>,
  owners: Record<string, number | undefined>,
): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  if (!mysqlPid) return result;
  const after = mysqlThreadTimes(mysqlPid);
  const connections: Array<{ tid: number | string; host: string }> = await db.query(
    'SELECT TID AS tid, HOST AS host FROM information_schema.PROCESSLIST WHERE DB = DATABASE()',
  );
  const inodeOfPort = new Map<number, string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        if (cols.length > 9) inodeOfPort.set(parseInt(cols[1].split(':').pop()!, 16), cols[9]);
      }
    } catch {
      // no such table
    }
  }
  const ownerOfInode = new Map<string, string>();
  for (const [name, pid] of Object.entries(owners)) {
    if (!pid) continue;
    result[name] = 0;
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
          if (link.startsWith('socket:[')) ownerOfInode.set(link.slice(8, -1), name);
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      // gone
    }
  }
  for (const { tid, host } of connections) {
    const owner = ownerOfInode.get(inodeOfPort.get(Number(host.split(':').pop())) ?? '');
    if (owner) result[owner] += (after.get(Number(tid)) ?? 0) - (before.get(Number(tid)) ?? 0);
  }
  return result;
}

function pidOf(command: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined; // no /proc
  }
  for (const entry of entries) {
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command) return Number(entry);
    } catch {
      // a process that ended while the list was read: the scan goes on
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
