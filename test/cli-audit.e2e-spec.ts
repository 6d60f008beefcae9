import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { MerchantsService } from '@payhub/merchants';
import { StaffService } from '@payhub/backoffice';
import { TestApp } from './support/test-app';

const ROOT = join(__dirname, '..');
const ACTOR = `cli:${userInfo().username}`.slice(0, 32);

/** The admin CLI as an operator runs it, from the TypeScript sources, against the test database. */
function cli(t: TestApp, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    DATABASE_URL: t.config.databaseUrl,
    REDIS_URL: t.config.redisUrl,
    PAYHUB_SECRET_KEY: t.config.secretKey,
    QUEUE_PREFIX: t.config.queuePrefix,
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', './scripts/bench-register.js', 'scripts/cli.ts', ...args],
      { cwd: ROOT, env, timeout: 90_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('admin CLI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('validates exactly as the API does and audits every action as cli:<os user>', async () => {
    const name = `cli-shop-${Date.now()}`;
    const [badMerchant, badStaff, good] = await Promise.all([
      cli(t, 'merchant:create', '--name', `${name}!`, '--webhook-url', 'http://10.1.2.3/hooks'),
      cli(t, 'staff:create', '--email', 'not-an-email', '--roles', 'admin,superuser', '--password', 'short'),
      cli(t, 'merchant:create', '--name', name, '--webhook-url', 'https://shop.example/hooks'),
    ]);

    expect(badMerchant.code).toBe(1);
    expect(badMerchant.stderr).toContain('name: must be 1-128 letters');
    // The same rule as POST /backoffice/merchants answers for that URL.
    const admin = await t.newStaff(['admin']);
    const api = await admin.bo.post('/backoffice/merchants', { name: `${name}-api`, webhookUrl: 'http://10.1.2.3/hooks' });
    expect(api.status).toBe(400);
    const viaCli = await cli(t, 'merchant:create', '--name', `${name}-private`, '--webhook-url', 'http://10.1.2.3/hooks');
    expect(viaCli.code).toBe(1);
    expect(viaCli.stderr).toContain(`webhookUrl: ${api.body.error.details[0].issue}`);
    expect(await t.app.get(MerchantsService).findByName(`${name}-private`)).toBeNull();

    expect(badStaff.code).toBe(1);
    for (const field of ['email:', 'password:', 'roles']) expect(badStaff.stderr).toContain(field);
    expect(await t.app.get(StaffService).findByEmail('not-an-email')).toBeNull();

    expect(good.code).toBe(0);
    const created = JSON.parse(good.stdout) as { merchantId: string; apiKey: string };
    expect((await t.http.get('/v1/transactions', { 'x-api-key': created.apiKey })).status).toBe(200);

    const staffCli = await cli(t, 'staff:create', '--email', `cli-admin-${Date.now()}@test.local`, '--roles', 'admin', '--password', 'cli-admin-password');
    expect(staffCli.code).toBe(0);
    const staffId = (JSON.parse(staffCli.stdout) as { staffId: string }).staffId;

    const audit = await admin.bo.get(`/backoffice/audit-log?actorId=${encodeURIComponent(ACTOR)}&limit=100`);
    expect(audit.status).toBe(200);
    const mine = audit.body.data.filter((e: { target: { id: string } }) => e.target.id === created.merchantId || e.target.id === staffId);
    expect(mine.map((e: { action: string }) => e.action).sort()).toEqual(['merchant.create', 'staff.create']);
    expect(mine.every((e: { actor: { id: string } }) => e.actor.id === ACTOR)).toBe(true);
    expect(JSON.stringify(mine)).not.toContain(created.apiKey);
    expect(JSON.stringify(mine)).not.toContain('cli-admin-password');
  });
});
