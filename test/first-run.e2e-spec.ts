import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from './support/free-port';
import { testDatabaseUrl } from './support/test-database';
import { waitFor } from './support/webhook-endpoint';

const REPO = resolve(__dirname, '..');
// 127.0.0.2 is loopback too, but not 127.0.0.1: reaching the api there and not on 127.0.0.1 shows HOST is what it binds.
const HOST = '127.0.0.2';

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * A newcomer's first command on a fresh clone (of the committed branch): `npm start` installs the
 * dependencies itself, builds, creates and migrates the database, seeds the demo and answers healthy.
 */
describe('first run on a fresh clone', () => {
  let clone: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  const runs: Run[] = [];

  const run = (command: string, args: string[]): Run => {
    const child = spawn(command, args, { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const started = { child, output: () => text, exited };
    runs.push(started);
    return started;
  };
  const stop = async (r: Run) => {
    if (r.child.exitCode === null && r.child.signalCode === null) process.kill(-r.child.pid!, 'SIGINT');
    await r.exited;
  };
  const healthy = async (host: string) =>
    fetch(`http://${host}:${port}/health`, { signal: AbortSignal.timeout(2000) }).then(
      (res) => res.ok,
      () => false,
    );
  const apiKeyOf = (text: string) => /API key\s+(\S+)/.exec(text)?.[1];

  beforeAll(async () => {
    clone = mkdtempSync(join(tmpdir(), 'payhub-clone-'));
    execFileSync('git', ['clone', '--quiet', REPO, clone]);
    const database = `${new URL(testDatabaseUrl()).pathname.slice(1)}_first_run`;
    const url = new URL(testDatabaseUrl());
    const connection = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
    });
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.end();
    url.pathname = `/${database}`;
    port = await freePort();
    const { NODE_ENV: _jest, ...inherited } = process.env;
    env = {
      ...inherited,
      NODE_ENV: 'development',
      HOST,
      PORT: String(port),
      SANDBOX_PORT: String(await freePort()),
      DATABASE_URL: url.toString(),
      QUEUE_PREFIX: `payhub-first-run-${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: 'warn',
      PAYHUB_SECRET_KEY: '',
    };
  });
  afterAll(async () => {
    for (const r of runs) await stop(r);
    if (clone) rmSync(clone, { recursive: true, force: true });
  });

  it('npm start installs, builds, seeds and serves on HOST; a restart keeps the demo key; a taken port is one sentence and no banner', async () => {
    expect(existsSync(join(clone, 'node_modules'))).toBe(false);
    const first = run('npm', ['start']);
    await waitFor(async () => first.output().includes('payhub is running') || first.child.exitCode !== null, 280_000, 'the first npm start');
    expect(first.child.exitCode).toBeNull();
    expect(first.output()).toContain('payhub: installing dependencies (npm ci)');
    expect(first.output()).toContain(`API        http://${HOST}:${port}`);
    expect(await healthy(HOST)).toBe(true);
    expect(await healthy('127.0.0.1')).toBe(false);
    // The start path builds the staff console too, and the banner's URL serves it.
    expect(first.output()).toContain(`Console    http://${HOST}:${port}/console`);
    const console_ = await fetch(`http://${HOST}:${port}/console/`, { signal: AbortSignal.timeout(5000) });
    expect(console_.status).toBe(200);
    expect(await console_.text()).toContain('<div id="root">');
    const key = apiKeyOf(first.output());
    expect(key).toMatch(/^phk_/);
    await stop(first);

    // The dependencies are current now: the pre-step says nothing and installs nothing.
    expect(execFileSync('node', ['scripts/ensure-deps.js'], { cwd: clone, env }).toString()).toBe('');
    // A changed lockfile (as after a pull) is installed again, once.
    appendFileSync(join(clone, 'package-lock.json'), '\n');
    expect(execFileSync('node', ['scripts/ensure-deps.js'], { cwd: clone, env, stdio: ['ignore', 'pipe', 'ignore'] }).toString()).toContain(
      'package-lock.json changed, reinstalling dependencies (npm ci)',
    );
    expect(execFileSync('node', ['scripts/ensure-deps.js'], { cwd: clone, env }).toString()).toBe('');

    const again = run('node', ['-r', './dist/scripts/register-paths.js', 'dist/scripts/start.js']);
    await waitFor(async () => again.output().includes('payhub is running') || again.child.exitCode !== null, 90_000, 'the restart');
    expect(apiKeyOf(again.output())).toBe(key);
    await stop(again);

    const squatter: Server = createServer();
    await new Promise<void>((done) => squatter.listen(port, HOST, done));
    try {
      const refused = run('node', ['-r', './dist/scripts/register-paths.js', 'dist/scripts/start.js']);
      expect(await refused.exited).toBe(1);
      const lines = refused.output().trim().split('\n');
      expect(lines.at(-1)).toBe(`payhub start cannot start: port ${port} on ${HOST} is already in use; stop what uses it or set PORT to a free port`);
      expect(lines.filter((l) => l.includes('cannot start'))).toHaveLength(1);
      expect(refused.output()).not.toContain('payhub is running');
      expect(refused.output()).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      await new Promise((done) => squatter.close(done));
    }
  }, 420_000);
});
