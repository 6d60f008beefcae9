import { AuditLogEntity } from '@payhub/backoffice';
import { TestApp } from './support/test-app';

describe('back office: staff auth, roles, merchants', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('logs in and answers a bearer token; a wrong password is 401 without saying which part was wrong', async () => {
    const admin = await t.newStaff(['admin']);
    const ok = await t.http.post('/backoffice/auth/login', { email: admin.email, password: admin.password });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ accessToken: expect.any(String), tokenType: 'Bearer' });
    const wrong = await t.http.post('/backoffice/auth/login', { email: admin.email, password: 'not-the-password' });
    const unknown = await t.http.post('/backoffice/auth/login', { email: 'nobody@test.local', password: 'whatever-123' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('validates the login body', async () => {
    const res = await t.http.post('/backoffice/auth/login', { email: 'not-an-email', password: 5 });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('locks an account after repeated failed logins', async () => {
    const staff = await t.newStaff(['viewer']);
    for (let i = 0; i < 5; i++) await t.http.post('/backoffice/auth/login', { email: staff.email, password: 'wrong-password' });
    const locked = await t.http.post('/backoffice/auth/login', { email: staff.email, password: staff.password });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
  });

  it('401 without or with a forged token', async () => {
    expect((await t.http.get('/backoffice/merchants')).status).toBe(401);
    const forged = await t.http.get('/backoffice/merchants', { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdGZfMSJ9.c2lnbmF0dXJl' });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('enforces roles: viewer reads, only admin creates merchants or staff', async () => {
    const viewer = await t.newStaff(['viewer']);
    const operator = await t.newStaff(['operator']);
    const approver = await t.newStaff(['approver']);
    expect((await viewer.bo.get('/backoffice/merchants')).status).toBe(200);
    for (const staff of [viewer, operator, approver]) {
      const res = await staff.bo.post('/backoffice/merchants', { name: 'should-not-exist' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect((await staff.bo.get('/backoffice/staff')).status).toBe(403);
    }
  });

  it('a disabled staff member loses access at once', async () => {
    const admin = await t.newStaff(['admin']);
    const victim = await t.newStaff(['viewer']);
    expect((await victim.bo.get('/backoffice/merchants')).status).toBe(200);
    expect((await admin.bo.patch(`/backoffice/staff/${victim.id}`, { status: 'disabled' })).status).toBe(200);
    expect((await victim.bo.get('/backoffice/merchants')).status).toBe(401);
  });

  it('creates a merchant whose API key (shown once) works on the merchant API, and audits it', async () => {
    const admin = await t.newStaff(['admin']);
    const res = await admin.bo.post('/backoffice/merchants', { name: `shop-${Date.now()}`, webhookUrl: 'https://shop.example/hooks' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      merchant: { id: expect.stringMatching(/^mer_/) },
      apiKey: expect.stringMatching(/^phk_/),
      webhookSecret: expect.stringMatching(/^whsec_/),
    });
    const me = await t.http.get('/v1/transactions', { 'x-api-key': res.body.apiKey });
    expect(me.status).toBe(200);

    const listed = await admin.bo.get('/backoffice/merchants?limit=100');
    const shown = JSON.stringify(listed.body);
    expect(shown).toContain(res.body.merchant.id);
    expect(shown).not.toContain(res.body.apiKey);
    expect(shown).not.toContain(res.body.webhookSecret);

    const second = await admin.bo.post(`/backoffice/merchants/${res.body.merchant.id}/api-keys`, { label: 'backup' });
    expect(second.status).toBe(201);
    expect((await t.http.get('/v1/transactions', { 'x-api-key': second.body.apiKey })).status).toBe(200);

    const audit = await t.db.getRepository(AuditLogEntity).findBy({ targetId: res.body.merchant.id });
    expect(audit.map((a) => a.action).sort()).toEqual(['merchant.api_key.create', 'merchant.create']);
    expect(JSON.stringify(audit)).not.toContain(res.body.apiKey);
  });

  it('a taken merchant name is 409 naming the field', async () => {
    const admin = await t.newStaff(['admin']);
    const name = `dup-${Date.now()}`;
    expect((await admin.bo.post('/backoffice/merchants', { name })).status).toBe(201);
    const again = await admin.bo.post('/backoffice/merchants', { name });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'MERCHANT_NAME_TAKEN', details: [{ field: 'name', issue: 'is taken' }] });
  });

  it('rejects a bad merchant body naming the fields, creating nothing', async () => {
    const admin = await t.newStaff(['admin']);
    const res = await admin.bo.post('/backoffice/merchants', { name: '', webhookUrl: 'ftp://x', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['name', 'webhookUrl', 'extra']));
  });

  it('/health reports MySQL and Redis', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', checks: { mysql: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.http.get('/docs/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/deposits', '/backoffice/auth/login']));
  });
});
