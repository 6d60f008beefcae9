import { AuditLogEntity, StaffRole } from '@payhub/backoffice';
import { MerchantsService, PAYOUT_AUTO_APPROVE_KEY } from '@payhub/merchants';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { TEST_PROVIDER_C } from './support/test-provider';

type Staff = Awaited<ReturnType<TestApp['newStaff']>>;

const ROLES: StaffRole[] = ['viewer', 'operator', 'approver', 'admin'];
/** Who passes a route that needs `required`: admin everything, everyone viewing, operator and approver apart. */
const ALLOWED: Record<StaffRole, StaffRole[]> = {
  viewer: ['viewer', 'operator', 'approver', 'admin'],
  operator: ['operator', 'admin'],
  approver: ['approver', 'admin'],
  admin: ['admin'],
};
const TX = 'tx_00000000000000000000000000';
const MER = 'mer_00000000000000000000000000';
const STF = 'stf_00000000000000000000000000';
const ROUTES: Array<[method: string, path: string, required: StaffRole, body?: unknown]> = [
  ['GET', '/backoffice/transactions', 'viewer'],
  ['GET', `/backoffice/transactions/${TX}`, 'viewer'],
  ['GET', '/backoffice/transactions/export.csv', 'viewer'],
  ['GET', `/backoffice/transactions/${TX}/timeline`, 'viewer'],
  ['POST', `/backoffice/transactions/${TX}/check-status`, 'operator'],
  ['GET', '/backoffice/dashboard', 'viewer'],
  ['GET', '/backoffice/withdrawals/approval-queue', 'viewer'],
  ['GET', '/backoffice/audit-log/export.csv', 'viewer'],
  ['GET', '/backoffice/auth/me', 'viewer'],
  ['POST', `/backoffice/transactions/${TX}/refunds`, 'operator', {}],
  ['POST', `/backoffice/transactions/${TX}/reversal`, 'operator', {}],
  ['POST', `/backoffice/transactions/${TX}/force-status`, 'admin', { status: 'FAILED', reason: 'role check' }],
  ['POST', '/backoffice/withdrawals', 'operator', {}],
  ['POST', `/backoffice/withdrawals/${TX}/approve`, 'approver'],
  ['POST', `/backoffice/withdrawals/${TX}/decline`, 'approver', { reason: 'role check' }],
  ['GET', '/backoffice/audit-log', 'viewer'],
  ['GET', `/backoffice/merchants/${MER}/payout-auto-approve`, 'viewer'],
  ['PUT', `/backoffice/merchants/${MER}/payout-auto-approve`, 'admin', { rules: [] }],
  ['PATCH', `/backoffice/merchants/${MER}`, 'admin', { status: 'active' }],
  ['GET', `/backoffice/merchants/${MER}/api-keys`, 'viewer'],
  ['POST', `/backoffice/merchants/${MER}/api-keys/key_00000000000000000000000000/revoke`, 'admin'],
  ['GET', '/backoffice/staff', 'admin'],
  ['POST', '/backoffice/staff', 'admin', {}],
  ['PATCH', `/backoffice/staff/${STF}`, 'admin', {}],
  ['POST', '/backoffice/reconciliation/reports/runs', 'operator', {}],
  ['GET', '/backoffice/reconciliation/status-sync', 'viewer'],
];

describe('back office: roles per route, audit log, staff management, OpenAPI', () => {
  let t: TestApp;
  const staff = {} as Record<StaffRole, Staff>;

  beforeAll(async () => {
    t = await TestApp.start();
    for (const role of ROLES) staff[role] = await t.newStaff([role]);
  });
  afterAll(() => t.close());

  describe.each(ROUTES)('%s %s (%s)', (method, path, required, body) => {
    it.each(ROLES)('as %s', async (role) => {
      const res = await staff[role].bo.request(method, path, body);
      if (ALLOWED[required].includes(role)) {
        // Past the guard: whatever the (fake) target makes of it, never an auth answer.
        expect([401, 403]).not.toContain(res.status);
      } else {
        expect(res.status).toBe(403);
        expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: `This action needs the ${required} role` });
      }
    });

    it('without a token → 401', async () => {
      const res = await t.http.request(method, path, body);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('audit log', () => {
    let merchant: TestMerchant;

    beforeAll(async () => {
      merchant = await t.newMerchant();
      await t.routeAllTo(merchant.id, undefined, [TEST_PROVIDER_C]);
    });

    const entries = async (query: string) => {
      const res = await staff.viewer.bo.get(`/backoffice/audit-log?${query}`);
      expect(res.status).toBe(200);
      return res.body.data as Array<Record<string, any>>;
    };

    it('records every staff action with who, what, target, before/after, reason and request id', async () => {
      const { operator, approver, admin } = staff;
      const parent = (await merchant.api.post('/v1/deposits', deposit({ amount: 150004 }))).body;
      const reversible = (await merchant.api.post('/v1/deposits', deposit({ amount: 150004 }))).body;
      const unknown = (await merchant.api.post('/v1/deposits', deposit({ amount: 150002 }))).body;

      const actions: Array<{ res: Awaited<ReturnType<Staff['bo']['post']>>; actor: Staff; action: string; target: string; reason?: unknown }> = [];
      const refund = await operator.bo.post(`/backoffice/transactions/${parent.id}/refunds`, { amount: 1000, reason: 'goodwill' });
      actions.push({ res: refund, actor: operator, action: 'transaction.refund', target: parent.id, reason: 'goodwill' });
      actions.push({
        res: await operator.bo.post(`/backoffice/transactions/${reversible.id}/reversal`, { reason: 'double charge' }),
        actor: operator,
        action: 'transaction.reversal',
        target: reversible.id,
        reason: 'double charge',
      });
      actions.push({
        res: await admin.bo.post(`/backoffice/transactions/${unknown.id}/force-status`, { status: 'FAILED', reason: 'never reached the provider' }),
        actor: admin,
        action: 'transaction.force_status',
        target: unknown.id,
        reason: 'never reached the provider',
      });
      const created = await operator.bo.post('/backoffice/withdrawals', {
        merchantId: merchant.id,
        ...deposit({ txType: 'BankLocalWithdrawal', card: undefined, bank: { name: 'HDFC', accountNumber: '1' } }),
      });
      actions.push({ res: created, actor: operator, action: 'withdrawal.create', target: created.body.id });
      actions.push({
        res: await approver.bo.post(`/backoffice/withdrawals/${created.body.id}/approve`),
        actor: approver,
        action: 'withdrawal.approve',
        target: created.body.id,
      });
      const other = await operator.bo.post('/backoffice/withdrawals', {
        merchantId: merchant.id,
        ...deposit({ txType: 'BankLocalWithdrawal', card: undefined, bank: { name: 'HDFC', accountNumber: '2' } }),
      });
      actions.push({
        res: await approver.bo.post(`/backoffice/withdrawals/${other.body.id}/decline`, { reason: 'suspected fraud' }),
        actor: approver,
        action: 'withdrawal.decline',
        target: other.body.id,
        reason: 'suspected fraud',
      });
      // Allowing more auto-approval is a proposal for a second admin (maker-checker), audited as such.
      actions.push({
        res: await admin.bo.put(`/backoffice/merchants/${merchant.id}/payout-auto-approve`, { rules: [{ currency: 'UAH', below: 5000 }] }),
        actor: admin,
        action: 'change.propose',
        target: merchant.id,
        reason: expect.stringMatching(/^payout_auto_approve chg_/),
      });
      const newcomer = await admin.bo.post('/backoffice/staff', { email: `new-${Date.now()}@test.local`, password: 'long-enough-pass', roles: ['viewer'] });
      actions.push({ res: newcomer, actor: admin, action: 'staff.create', target: newcomer.body.id });
      actions.push({
        res: await admin.bo.patch(`/backoffice/staff/${newcomer.body.id}`, { roles: ['operator'] }),
        actor: admin,
        action: 'staff.update',
        target: newcomer.body.id,
      });

      for (const { res, actor, action, target, reason } of actions) {
        expect([200, 201, 202]).toContain(res.status);
        const rows = await entries(`targetId=${target}&action=${action}`);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
          actor: { id: actor.id, email: actor.email },
          action,
          target: { id: target },
          requestId: res.headers.get('x-request-id'),
          reason: reason ?? null,
          at: expect.any(String),
        });
        expect(rows[0].after).not.toBeNull();
      }
      const [refundEntry] = await entries(`targetId=${parent.id}&action=transaction.refund`);
      expect(refundEntry).toMatchObject({ before: { refundedAmount: 0, reserved: 0 }, after: { childId: refund.body.id, amount: 1000 } });
      const [forced] = await entries(`targetId=${unknown.id}`);
      expect(forced).toMatchObject({ before: { status: 'INCONSISTENT' }, after: { status: 'FAILED' } });
      const [role] = await entries(`targetId=${newcomer.body.id}&action=staff.update`);
      expect(role).toMatchObject({ before: { roles: ['viewer'] }, after: { roles: ['operator'] } });
      expect(JSON.stringify(await entries(`targetId=${newcomer.body.id}`))).not.toContain('long-enough-pass');
    });

    it('filters by actor and time, pages newest first', async () => {
      const actor = await t.newStaff(['admin']);
      const m = await t.newMerchant();
      await t.app.get(MerchantsService).updateSetting(m.id, PAYOUT_AUTO_APPROVE_KEY, { rules: [{ currency: 'EUR', below: 1000 }] });
      const started = new Date(Date.now() - 1);
      // Lowering a limit needs no second admin: each one applies and is audited at once.
      for (const below of [300, 200, 100])
        expect((await actor.bo.put(`/backoffice/merchants/${m.id}/payout-auto-approve`, { rules: [{ currency: 'EUR', below }] })).status).toBe(200);
      const page1 = await staff.viewer.bo.get(`/backoffice/audit-log?actorId=${actor.id}&limit=2`);
      expect(page1.body).toMatchObject({ hasMore: true, nextCursor: expect.stringMatching(/^aud_/) });
      expect(page1.body.data.map((e: any) => e.after.rules[0].below)).toEqual([100, 200]);
      const page2 = await staff.viewer.bo.get(`/backoffice/audit-log?actorId=${actor.id}&limit=2&startingAfter=${page1.body.nextCursor}`);
      expect(page2.body).toMatchObject({
        hasMore: false,
        nextCursor: null,
        data: [expect.objectContaining({ before: { rules: [{ currency: 'EUR', below: 1000 }] }, after: { rules: [{ currency: 'EUR', below: 300 }] } })],
      });
      expect(page1.body.data[0].before).toEqual({ rules: [{ currency: 'EUR', below: 200 }] });
      expect(await entries(`actorId=${actor.id}&from=${started.toISOString()}`)).toHaveLength(3);
      expect(await entries(`actorId=${actor.id}&to=${started.toISOString()}`)).toHaveLength(0);
      const bad = await staff.viewer.bo.get('/backoffice/audit-log?from=soon&limit=500');
      expect(bad.status).toBe(400);
    });

    it('cannot be edited or deleted over HTTP, not even by an admin', async () => {
      const [entry] = await entries('limit=1');
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        for (const path of ['/backoffice/audit-log', `/backoffice/audit-log/${entry.id}`]) {
          const res = await staff.admin.bo.request(method, path, method === 'DELETE' ? undefined : { reason: 'tamper' });
          // The list exists for GET only: a write there is 405 METHOD_NOT_ALLOWED (issue 16); an entry has no route at all.
          expect(res.status).toBe(path === '/backoffice/audit-log' ? 405 : 404);
        }
      }
      const row = await t.db.getRepository(AuditLogEntity).findOneByOrFail({ id: entry.id });
      expect(row.reason).not.toBe('tamper');
    });
  });

  describe('staff management (admin)', () => {
    it('creates staff with a hashed password, never showing it; refuses duplicates and weak passwords', async () => {
      const email = `ops-${Date.now()}@test.local`;
      // With the approver role this is a proposal; the member exists once a second admin confirms.
      const proposal = await staff.admin.bo.post('/backoffice/staff', { email, password: 'correct-horse-battery', roles: ['operator', 'approver'] });
      expect(proposal.status).toBe(202);
      expect(JSON.stringify(proposal.body)).not.toContain('correct-horse-battery');
      expect(JSON.stringify(proposal.body)).not.toContain('scrypt');
      await t.confirmChange(proposal);
      const res = { body: (await staff.admin.bo.get('/backoffice/staff')).body.data.find((s: { email: string }) => s.email === email) };
      expect(res.body).toEqual({
        id: expect.stringMatching(/^stf_/),
        email,
        roles: ['operator', 'approver'],
        status: 'active',
        totpEnabled: false,
        locked: false,
        createdAt: expect.any(String),
      });
      const row = await t.db.query('SELECT password_hash FROM staff_users WHERE id = ?', [res.body.id]);
      expect(row[0].password_hash).toMatch(/^scrypt\$/);
      expect(row[0].password_hash).not.toContain('correct-horse-battery');

      const login = await t.http.post('/backoffice/auth/login', { email, password: 'correct-horse-battery' });
      expect(login.status).toBe(200);
      const dup = await staff.admin.bo.post('/backoffice/staff', { email: email.toUpperCase(), password: 'correct-horse-battery', roles: ['viewer'] });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('STAFF_EMAIL_TAKEN');
      const weak = await staff.admin.bo.post('/backoffice/staff', { email: `w-${email}`, password: 'short', roles: ['superuser'] });
      expect(weak.status).toBe(400);
      expect(weak.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['password', 'roles']));

      const list = await staff.admin.bo.get('/backoffice/staff');
      expect(list.body.data.map((s: { id: string }) => s.id)).toContain(res.body.id);
      expect(JSON.stringify(list.body)).not.toContain('scrypt');
    });

    it('role changes, password changes and disabling take effect at once', async () => {
      const member = await t.newStaff(['viewer']);
      expect((await member.bo.post(`/backoffice/transactions/${TX}/refunds`, {})).status).toBe(403);
      expect((await staff.admin.bo.patch(`/backoffice/staff/${member.id}`, { roles: ['operator'] })).status).toBe(200);
      // A role change ends the member's sessions; the next login carries the new role.
      expect((await member.bo.post(`/backoffice/transactions/${TX}/refunds`, {})).status).toBe(401);
      const relogin = await t.http.post('/backoffice/auth/login', { email: member.email, password: member.password });
      expect((await t.http.post(`/backoffice/transactions/${TX}/refunds`, {}, { authorization: `Bearer ${relogin.body.accessToken}` })).status).toBe(404);

      expect((await staff.admin.bo.patch(`/backoffice/staff/${member.id}`, { password: 'a-brand-new-password' })).status).toBe(200);
      expect((await t.http.post('/backoffice/auth/login', { email: member.email, password: member.password })).status).toBe(401);
      expect((await t.http.post('/backoffice/auth/login', { email: member.email, password: 'a-brand-new-password' })).status).toBe(200);

      expect((await staff.admin.bo.patch(`/backoffice/staff/${member.id}`, { status: 'disabled' })).status).toBe(200);
      expect((await member.bo.get('/backoffice/transactions')).status).toBe(401);
      expect((await t.http.post('/backoffice/auth/login', { email: member.email, password: 'a-brand-new-password' })).status).toBe(401);
      expect((await staff.admin.bo.patch(`/backoffice/staff/${member.id}`, { status: 'gone' })).status).toBe(400);
    });

    it('throttles failed logins per account: locked even with the right password, others unaffected', async () => {
      const victim = await t.newStaff(['viewer']);
      const bystander = await t.newStaff(['viewer']);
      for (let i = 0; i < 4; i++) expect((await t.http.post('/backoffice/auth/login', { email: victim.email, password: 'guess-' + i })).status).toBe(401);
      // Four failures then a success resets the counter.
      expect((await t.http.post('/backoffice/auth/login', { email: victim.email, password: victim.password })).status).toBe(200);
      for (let i = 0; i < 5; i++) await t.http.post('/backoffice/auth/login', { email: victim.email, password: 'guess-' + i });
      const locked = await t.http.post('/backoffice/auth/login', { email: victim.email, password: victim.password });
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('RATE_LIMITED');
      expect((await t.http.post('/backoffice/auth/login', { email: bystander.email, password: bystander.password })).status).toBe(200);
    });
  });

  it('documents the back office in OpenAPI with bearer auth', async () => {
    const res = await t.http.get('/docs/openapi.json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, { tags?: string[]; security?: unknown[]; summary?: string }>>;
    const expected: Array<[string, string]> = [
      ['/backoffice/transactions', 'get'],
      ['/backoffice/transactions/{id}', 'get'],
      ['/backoffice/transactions/{id}/refunds', 'post'],
      ['/backoffice/transactions/{id}/reversal', 'post'],
      ['/backoffice/transactions/{id}/force-status', 'post'],
      ['/backoffice/withdrawals', 'post'],
      ['/backoffice/withdrawals/{id}/approve', 'post'],
      ['/backoffice/withdrawals/{id}/decline', 'post'],
      ['/backoffice/audit-log', 'get'],
      ['/backoffice/merchants/{id}/payout-auto-approve', 'put'],
    ];
    for (const [path, method] of expected) {
      expect(paths[path]?.[method]).toMatchObject({ tags: ['backoffice'], security: [{ bearer: [] }], summary: expect.any(String) });
    }
    expect(paths['/v1/transactions/{id}/refunds']?.post).toMatchObject({ tags: ['merchant'], security: [{ 'api-key': [] }] });
  });
});
