import { execFile, execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { testDatabaseUrl } from './support/test-database';

const REPO = resolve(__dirname, '..');
const STAMP = resolve(REPO, 'dist', '.payhub-build-sha256');
const run = promisify(execFile);

/** `npm run cli` as an operator runs it: on a current build it starts at once, and it never migrates. */
describe('admin CLI', () => {
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
    run('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: REPO, env: { ...env, ...extraEnv }, timeout: 120_000 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code?: number; stdout: string; stderr: string }) => ({ code: error.code ?? 1, stdout: error.stdout, stderr: error.stderr }),
    );

  beforeAll(async () => {
    const { NODE_ENV: _jest, ...inherited } = process.env;
    env = { ...inherited, NODE_ENV: 'development', DATABASE_URL: await isolatedDatabaseUrl('cli'), PAYHUB_SECRET_KEY: 'c'.repeat(64), LOG_LEVEL: 'warn' };
    // Bring the build up to date once; every call below must then reuse it.
    execFileSync('node', ['scripts/ensure-build.js'], { cwd: REPO, stdio: 'ignore' });
  }, 180_000);

  it('creates and lists merchants and staff without rebuilding a current build', async () => {
    const built = statSync(STAMP).mtimeMs;
    const name = `cli-${Date.now()}`;
    const created = await cli(['merchant:create', '--name', name]);
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout)).toMatchObject({ merchantId: expect.stringMatching(/^mer_/), name, apiKey: expect.stringMatching(/^phk_/) });

    const started = Date.now();
    const merchants = await cli(['merchant:list']);
    const elapsed = Date.now() - started;
    expect(merchants.code).toBe(0);
    expect(JSON.parse(merchants.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name, status: 'active' })]));
    console.log(`npm run cli -- merchant:list on a current build: ${elapsed} ms`);

    const email = `cli-${Date.now()}@payhub.local`;
    expect((await cli(['staff:create', '--email', email, '--roles', 'viewer'])).code).toBe(0);
    const staff = JSON.parse((await cli(['staff:list'])).stdout) as Array<{ email: string; roles: string[] }>;
    expect(staff).toEqual(expect.arrayContaining([expect.objectContaining({ email, roles: ['viewer'] })]));
    expect(JSON.stringify(staff)).not.toMatch(/password/i);
    // No tsc ran: the build stamp is only written by a build.
    expect(statSync(STAMP).mtimeMs).toBe(built);
  });

  it('never migrates: on a database behind the build it names the migration command and changes nothing', async () => {
    const url = new URL(testDatabaseUrl());
    const name = `${url.pathname.slice(1)}_cli_empty`;
    const connection = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
    });
    try {
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.query(`CREATE DATABASE \`${name}\``);
      url.pathname = `/${name}`;
      const refused = await cli(['merchant:list'], { DATABASE_URL: url.toString() });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^payhub cli: the database schema is behind this build \(\d+ migrations pending: CreateMerchants\d+, .*\); run `npm run migration:run` first\n$/,
      );
      const [tables] = await connection.query('SELECT table_name FROM information_schema.tables WHERE table_schema = ?', [name]);
      expect(tables).toEqual([]);
      url.pathname = `/${name}_missing`;
      const missing = await cli(['merchant:list'], { DATABASE_URL: url.toString() });
      expect(missing.stderr).toContain(`database ${name}_missing does not exist`);
      const [databases] = await connection.query('SHOW DATABASES LIKE ?', [`${name}_missing`]);
      expect(databases).toEqual([]);
    } finally {
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    }
  });
});
