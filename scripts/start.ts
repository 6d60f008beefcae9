import 'reflect-metadata';
import { resolve } from 'node:path';
import { createAdminContext } from './admin-context';
import { runMigrations } from './migrate';
import { preflight } from '../apps/shared/preflight';
import { DemoCredentials, seedDemo } from './seed-demo';
import { firstUnbindablePort } from '../apps/shared/listen';
import type { AppConfig } from '@payhub/common';
import { Supervised } from './supervisor';

const DIST = resolve(__dirname, '..');
const REGISTER = resolve(__dirname, 'register-paths.js');
const COLORS: Record<string, string> = { api: '\x1b[36m', worker: '\x1b[35m', sandbox: '\x1b[33m' };

/** `npm start`: database, migrations, demo data, then api + worker + sandbox in one terminal. */
async function main(): Promise<void> {
  const config = await preflight('start');
  await assertPortsFree(config);
  console.log(`payhub: database ${config.database.name} on ${config.database.host}:${config.database.port} ready`);
  await runMigrations(config, (line) => console.log(`payhub: ${line}`));

  let demo: DemoCredentials | null = null;
  if (config.env !== 'production') {
    const admin = await createAdminContext(config);
    try {
      demo = await seedDemo(admin, config, { reset: process.argv.includes('--reset-demo') });
    } finally {
      await admin.close();
    }
  } else {
    console.log('payhub: NODE_ENV=production, demo data not seeded');
  }

  const children = ['sandbox', 'api', 'worker'].map((name) => run(name));
  const stop = (signal: NodeJS.Signals) => {
    setTimeout(() => process.exit(0), 5000).unref();
    void Promise.all(children.map((child) => child.stop(signal))).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  try {
    await waitForHealth(`http://${config.localHost}:${config.port}/health`, 60000, children);
  } catch (error) {
    // No banner over a half-started payhub: stop what did start and say why.
    await Promise.all(children.map((child) => child.stop('SIGTERM')));
    throw error;
  }
  printWelcome(config, demo);
}

/** api and sandbox ports are checked before anything starts, so a taken port is one sentence and nothing runs. */
async function assertPortsFree(config: AppConfig): Promise<void> {
  const problem = await firstUnbindablePort(config.host, [
    { port: config.port, variable: 'PORT' },
    { port: config.sandboxPort, variable: 'SANDBOX_PORT' },
  ]);
  if (problem) {
    console.error(`payhub start cannot start: ${problem}`);
    process.exit(1);
  }
}

/** Each child under a supervisor: a crashed api, worker or sandbox comes back after a backoff. */
function run(name: string): Supervised {
  const prefix = `${COLORS[name] ?? ''}${name.padEnd(7)}\x1b[0m | `;
  return new Supervised({
    name,
    command: process.execPath,
    args: ['-r', REGISTER, resolve(DIST, 'apps', name, 'src', 'main.js')],
    env: process.env,
    onLine: (line) => process.stdout.write(prefix + line + '\n'),
    say: (message) => console.log(`payhub: ${message}`),
  });
}

async function waitForHealth(url: string, timeoutMs: number, children: Supervised[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // A process that dies before the api is first healthy is a start-up fault (config, schema), not a crash to heal.
    const exited = children.find((child) => child.restarts > 0 || (child.child !== null && (child.child.exitCode !== null || child.child.signalCode !== null)));
    if (exited) throw new Error(`${exited.name} exited before the api became healthy (its last lines are above)`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`api did not become healthy at ${url} within ${timeoutMs / 1000}s`);
}

function printWelcome(config: AppConfig, demo: DemoCredentials | null): void {
  const { port, sandboxPort, secretKeyGenerated: generatedKey } = config;
  const base = `http://${config.localHost}:${port}`;
  const lines = [
    '',
    '──────────────────────────────────────────── payhub is running ────',
    `  Console    ${base}/console   (staff web app: sign in with a staff email below)`,
    `  API        ${base}        (OpenAPI docs: ${base}/docs, health: ${base}/health)`,
    `  Sandbox    http://${config.localHost}:${sandboxPort}   (provider simulators)`,
    `  Bound to   ${config.host}${config.host === '127.0.0.1' ? ' (this machine only; HOST=0.0.0.0 opens it to the network)' : ''}`,
  ];
  if (demo) {
    lines.push(
      `  Merchant   demo (${demo.merchantId})`,
      `  API key    ${demo.apiKey}`,
      ...(demo.webhookSecret ? [`  Webhook    secret ${demo.webhookSecret} (shown once)`] : []),
      `  Staff      ${demo.staff.map((s) => s.email).join(', ')}`,
      `  Password   ${demo.password}   (every demo staff member)`,
      '',
      '  Try it:',
      `    curl -s ${base}/v1/transactions -H 'X-API-Key: ${demo.apiKey}'`,
      `    curl -s ${base}/backoffice/auth/login -H 'Content-Type: application/json' \\`,
      `         -d '{"email":"admin@payhub.local","password":"${demo.password}"}'`,
    );
  }
  if (demo) lines.push('', '  The demo keeps its key, passwords and your edits across restarts; `npm start -- --reset-demo` starts it afresh.');
  if (generatedKey) lines.push('', '  PAYHUB_SECRET_KEY not set: using the local key in .payhub/secret.key (never in production).');
  lines.push('  Ctrl-C stops everything.', '────────────────────────────────────────────────────────────────────', '');
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(`payhub start failed: ${(error as Error).message}`);
  process.exit(1);
});
