import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig, randomToken } from '@payhub/common';
import { MerchantsService } from '@payhub/merchants';
import { ProviderConfigService } from '@payhub/provider-config';
import { INTERKASSA_DEMO_SEED } from '@payhub/providers-interkassa';
import { RoutingService } from '@payhub/routing';
import { createAdminContext } from './admin-context';
import { runMigrations } from './migrate';
import { ensureDatabase } from '@payhub/database';

/**
 * `npm run bench`: card deposits through payhub (api process) into the Interkassa simulator (sandbox
 * process) with autocannon, 50 connections. Uses its own database (payhub_bench) and queue prefix.
 *   npm run bench -- [seconds] [connections]
 */
const SECONDS = Number(process.argv[2] ?? 15);
const CONNECTIONS = Number(process.argv[3] ?? 50);
const API_PORT = 3900;
const SANDBOX_PORT = 4900;

async function main(): Promise<void> {
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: String(API_PORT),
    SANDBOX_PORT: String(SANDBOX_PORT),
    PUBLIC_URL: `http://127.0.0.1:${API_PORT}`,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/payhub_bench',
    QUEUE_PREFIX: `payhub-bench-${randomToken(4)}`,
    PAYHUB_SECRET_KEY: 'b'.repeat(64),
  };
  const config = loadConfig(env);
  await ensureDatabase(config);
  await runMigrations(config, () => undefined);

  const admin = await createAdminContext(config);
  const { merchant, apiKey } = await admin.get(MerchantsService).create({ name: `bench-${randomToken(6)}` });
  await admin.get(ProviderConfigService).put(merchant.id, 'interkassa', INTERKASSA_DEMO_SEED.config(`http://127.0.0.1:${SANDBOX_PORT}`), 'bench');
  await admin.get(RoutingService).replaceRules(merchant.id, INTERKASSA_DEMO_SEED.rules, 'bench');
  await admin.close();

  const children = [run('sandbox', env), run('api', env)];
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
    const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, requests: [request] });
    const ok = result['2xx'];
    console.log(JSON.stringify({
      connections: CONNECTIONS,
      seconds: SECONDS,
      deposits: ok,
      depositsPerSec: Math.round(ok / SECONDS),
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
    }));
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

function cardDeposit(): Record<string, unknown> {
  return {
    merchantTxId: `bench-${randomToken(10)}`, userId: 'bench-user', txType: 'CreditcardDeposit', amount: 150000, currency: 'UAH', country: 'UA',
    card: { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', cvv: '123', holder: 'BENCH USER' },
    customer: { email: 'bench@payhub.local' }, redirectUrls: { success: 'https://m.example/ok' },
  };
}

function run(name: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['-r', resolve(__dirname, 'register-paths.js'), resolve(__dirname, '..', 'apps', name, 'src', 'main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  child.on('exit', (code) => { if (code) console.error(`${name} exited with ${code}`); });
  return child;
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
