import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createAdminContext } from './admin-context';
import { runMigrations } from './migrate';
import { preflight } from '../apps/shared/preflight';
import { DemoCredentials, seedDemo } from './seed-demo';

const DIST = resolve(__dirname, '..');
const REGISTER = resolve(__dirname, 'register-paths.js');
const COLORS: Record<string, string> = { api: '\x1b[36m', worker: '\x1b[35m', sandbox: '\x1b[33m' };

/** `npm start`: database, migrations, demo data, then api + worker + sandbox in one terminal. */
async function main(): Promise<void> {
  const config = await preflight('start');
  console.log(`payhub: database ${config.database.name} on ${config.database.host}:${config.database.port} ready`);
  await runMigrations(config, (line) => console.log(`payhub: ${line}`));

  let demo: DemoCredentials | null = null;
  if (config.env !== 'production') {
    const admin = await createAdminContext(config);
    try {
      demo = await seedDemo(admin, config);
    } finally {
      await admin.close();
    }
  } else {
    console.log('payhub: NODE_ENV=production, demo data not seeded');
  }

  const children = ['sandbox', 'api', 'worker'].map((name) => run(name));
  const stop = (signal: NodeJS.Signals) => {
    for (const child of children) child.kill(signal);
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  await waitForHealth(`http://127.0.0.1:${config.port}/health`, 60000);
  printWelcome(config.port, config.sandboxPort, demo, config.secretKeyGenerated);
}

function run(name: string): ChildProcess {
  const child = spawn(process.execPath, ['-r', REGISTER, resolve(DIST, 'apps', name, 'src', 'main.js')], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const prefix = `${COLORS[name] ?? ''}${name.padEnd(7)}\x1b[0m | `;
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(prefix + line + '\n');
    });
  }
  child.on('exit', (code, signal) => {
    console.log(`${prefix}exited (${signal ?? code})`);
    if (code && code !== 0) process.exitCode = code;
  });
  return child;
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`api did not become healthy at ${url} within ${timeoutMs / 1000}s`);
}

function printWelcome(port: number, sandboxPort: number, demo: DemoCredentials | null, generatedKey: boolean): void {
  const base = `http://127.0.0.1:${port}`;
  const lines = [
    '',
    '──────────────────────────────────────────── payhub is running ────',
    `  API        ${base}        (OpenAPI docs: ${base}/docs, health: ${base}/health)`,
    `  Sandbox    http://127.0.0.1:${sandboxPort}   (provider simulators)`,
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
  if (generatedKey) lines.push('', '  PAYHUB_SECRET_KEY not set: using the local key in .payhub/secret.key (never in production).');
  lines.push('  Ctrl-C stops everything.', '────────────────────────────────────────────────────────────────────', '');
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(`payhub start failed: ${(error as Error).message}`);
  process.exit(1);
});
