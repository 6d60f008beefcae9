import { AuditLogEntity, StaffService, StaffSessionEntity, StaffUserEntity, totpCode, totpStep } from '@payhub/backoffice';
import { ConfigError, loadConfig } from '@payhub/common';
import { ProviderConfigService } from '@payhub/provider-config';
import { TransactionEntity } from '@payhub/transactions';
import { revealed } from '@payhub/providers-core';
import type { HttpClient, HttpResult } from './support/http-client';
import { deposit, TestApp } from './support/test-app';
import { TEST_PROVIDER } from './support/test-provider';

const MASK = '********';
const login = (t: TestApp, email: string, password: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  t.http.post('/backoffice/auth/login', { email, password, ...extra }, headers);
const bearer = (t: TestApp, res: HttpResult): HttpClient => t.http.with({ authorization: `Bearer ${res.body.accessToken}` });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('staff security', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Login limits off here: these tests make many logins from one address on purpose.
    t = await TestApp.start({ env: { RATE_LIMIT_LOGIN_PER_MIN: '0' } });
  });
  afterAll(() => t.close());

  describe('maker-checker: one admin cannot move money or grant power alone', () => {
    it('the whole bypass, replayed by one admin, stops at the first step that needs a second person', async () => {
      const admin = await t.newStaff(['admin']);
      const m = await t.newMerchant();
      await t.routeAllTo(m.id);

      // 1. Raise the payout auto-approve limit: only a proposal; nothing in force.
      const raise = await admin.bo.put(`/backoffice/merchants/${m.id}/payout-auto-approve`, { rules: [{ currency: 'INR', below: 1_000_000_000 }] });
      expect(raise.status).toBe(202);
      expect(raise.body).toMatchObject({ kind: 'payout_auto_approve', status: 'pending', proposedBy: { id: admin.id } });
      expect((await admin.bo.get(`/backoffice/merchants/${m.id}/payout-auto-approve`)).body).toEqual({ rules: [] });
      const own = await admin.bo.post(`/backoffice/pending-changes/${raise.body.id}/confirm`);
      expect(own.status).toBe(403);
      expect(own.body.error.code).toBe('FOUR_EYES_VIOLATION');

      // 2. Mint a merchant API key (allowed) and 3. pay out 9,000,000.00 INR through the merchant API: it waits.
      const key = await admin.bo.post(`/backoffice/merchants/${m.id}/api-keys`, { label: 'mine' });
      expect(key.status).toBe(201);
      const payout = await t.http.post(
        '/v1/withdrawals',
        deposit({ txType: 'BankLocalWithdrawal', card: undefined, currency: 'INR', amount: 900_000_000, bank: { name: 'HDFC', accountNumber: '99887766' } }),
        { 'x-api-key': key.body.apiKey },
      );
      expect(payout.status).toBe(201);
      expect(payout.body.status).toBe('WAITING_APPROVAL');

      // 4. Approve it themselves: they minted the key that created it.
      const approve = await admin.bo.post(`/backoffice/withdrawals/${payout.body.id}/approve`);
      expect(approve.status).toBe(403);
      expect(approve.body.error.code).toBe('FOUR_EYES_VIOLATION');

      // 5. Create a second approver account: a proposal; the account does not exist, so it cannot log in.
      const accomplice = { email: `accomplice-${Date.now()}@test.local`, password: 'accomplice-password', roles: ['approver'] };
      const created = await admin.bo.post('/backoffice/staff', accomplice);
      expect(created.status).toBe(202);
      expect((await login(t, accomplice.email, accomplice.password)).status).toBe(401);
      expect((await admin.bo.post(`/backoffice/pending-changes/${created.body.id}/confirm`)).status).toBe(403);

      // ... nor grant approver to an account they already have.
      const viewer = await t.newStaff(['viewer']);
      const grant = await admin.bo.patch(`/backoffice/staff/${viewer.id}`, { roles: ['viewer', 'approver'] });
      expect(grant.status).toBe(202);
      expect((await viewer.bo.post(`/backoffice/withdrawals/${payout.body.id}/approve`)).status).toBe(403);

      // 6. Point the provider at their own host, keeping the stored secrets: refused; with secrets, a proposal.
      const config = (await admin.bo.get(`/backoffice/merchants/${m.id}/providers/${TEST_PROVIDER}/config`)).body.config;
      const moved = { ...config, baseUrls: { api: 'https://attacker.example/collect' } };
      const masked = await admin.bo.put(`/backoffice/merchants/${m.id}/providers/${TEST_PROVIDER}/config`, moved);
      expect(masked.status).toBe(400);
      const resent = await admin.bo.put(`/backoffice/merchants/${m.id}/providers/${TEST_PROVIDER}/config`, {
        ...moved,
        accounts: { DEFAULT: { ...config.accounts.DEFAULT, apiKey: 'attacker-key-1' } },
      });
      expect(resent.status).toBe(202);
      expect((await t.app.get(ProviderConfigService).resolveAccount(m.id, TEST_PROVIDER, 'DEFAULT')).baseUrls.api).not.toContain('attacker');

      // Nothing reached the provider; every proposal still waits for somebody else.
      const stored = await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: payout.body.id });
      expect(stored.status).toBe('WAITING_APPROVAL');
      expect(t.testProvider.operations.filter((o) => o.txId === payout.body.id)).toEqual([]);
      const pending = (await admin.bo.get('/backoffice/pending-changes?status=pending&limit=100')).body.data.map((c: { id: string }) => c.id);
      expect(pending).toEqual(expect.arrayContaining([raise.body.id, created.body.id, grant.body.id, resent.body.id]));
    });

    it('a different admin confirms: the change applies once, audited with before and after', async () => {
      const maker = await t.newStaff(['admin']);
      const checker = await t.newStaff(['admin']);
      const third = await t.newStaff(['admin']);
      const m = await t.newMerchant();
      const proposal = await maker.bo.put(`/backoffice/merchants/${m.id}/payout-auto-approve`, { rules: [{ currency: 'EUR', below: 50_000 }] });
      expect(proposal.status).toBe(202);

      // Two admins confirm at once: one applies it, the other is told it is decided.
      const [a, b] = await Promise.all([
        checker.bo.post(`/backoffice/pending-changes/${proposal.body.id}/confirm`),
        third.bo.post(`/backoffice/pending-changes/${proposal.body.id}/confirm`),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const winner = a.status === 200 ? checker : third;
      expect((a.status === 200 ? a : b).body).toMatchObject({ status: 'confirmed', decidedBy: { id: winner.id }, proposedBy: { id: maker.id } });
      expect((a.status === 200 ? b : a).body.error.code).toBe('PENDING_CHANGE_NOT_PENDING');
      expect((await maker.bo.get(`/backoffice/merchants/${m.id}/payout-auto-approve`)).body).toEqual({ rules: [{ currency: 'EUR', below: 50_000 }] });

      const audit = await t.db.getRepository(AuditLogEntity).find({ where: { targetId: m.id }, order: { id: 'ASC' } });
      expect(audit.map((r) => [r.action, r.actorId])).toEqual([
        ['change.propose', maker.id],
        ['change.confirm', winner.id],
        ['merchant.payout_auto_approve.update', winner.id],
      ]);
      for (const row of audit) {
        expect(row.before).toEqual({ rules: [] });
        expect(row.after).toEqual({ rules: [{ currency: 'EUR', below: 50_000 }] });
      }
      expect(audit[2].reason).toContain(maker.email);

      // Lowering it again needs nobody else: an admin can always stop auto-approval alone.
      const lower = await maker.bo.put(`/backoffice/merchants/${m.id}/payout-auto-approve`, { rules: [] });
      expect(lower.status).toBe(200);
      expect(lower.body).toEqual({ rules: [] });
    });

    it('lists pending changes; they lapse after 24 h, can be rejected, and refuse to apply over a newer state', async () => {
      const maker = await t.newStaff(['admin']);
      const checker = await t.newStaff(['admin']);
      const m = await t.newMerchant();
      const rules = (below: number) => ({ rules: [{ currency: 'USD', below }] });
      const lapsing = await maker.bo.put(`/backoffice/merchants/${m.id}/payout-auto-approve`, rules(1000));
      const rejected = await maker.bo.put(`/backoffice/merchants/${m.id}/payout-auto-approve`, rules(2000));
      const stale = await maker.bo.put(`/backoffice/merchants/${m.id}/payout-auto-approve`, rules(3000));
      const listed = await checker.bo.get('/backoffice/pending-changes?status=pending&limit=100');
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([lapsing.body.id, rejected.body.id, stale.body.id]));
      expect(new Date(lapsing.body.expiresAt).getTime() - new Date(lapsing.body.createdAt).getTime()).toBe(24 * 3600 * 1000);

      // 24 h pass for the first one.
      await t.db.query('UPDATE pending_changes SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [lapsing.body.id]);
      expect((await checker.bo.get(`/backoffice/pending-changes/${lapsing.body.id}`)).body.status).toBe('expired');
      const late = await checker.bo.post(`/backoffice/pending-changes/${lapsing.body.id}/confirm`);
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('PENDING_CHANGE_NOT_PENDING');
      expect(late.body.error.details).toContainEqual(expect.objectContaining({ field: 'status', value: 'expired' }));

      // The proposer withdraws the second.
      const withdrawn = await maker.bo.post(`/backoffice/pending-changes/${rejected.body.id}/reject`, { reason: 'typo' });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toMatchObject({ status: 'rejected', decidedBy: { id: maker.id } });
      expect((await checker.bo.post(`/backoffice/pending-changes/${rejected.body.id}/confirm`)).status).toBe(409);

      // The third was proposed over { rules: [] }; the rules changed since, so confirming it is refused.
      await t.confirmChange(await maker.bo.put(`/backoffice/merchants/${m.id}/payout-auto-approve`, rules(500)), checker.bo);
      const refused = await checker.bo.post(`/backoffice/pending-changes/${stale.body.id}/confirm`);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('PENDING_CHANGE_STALE');
      expect((await checker.bo.get(`/backoffice/merchants/${m.id}/payout-auto-approve`)).body).toEqual(rules(500));
      expect((await checker.bo.get(`/backoffice/pending-changes/${stale.body.id}`)).body.status).toBe('pending');

      const viewer = await t.newStaff(['viewer']);
      expect((await viewer.bo.get('/backoffice/pending-changes')).status).toBe(403);
      expect((await checker.bo.get('/backoffice/pending-changes?status=maybe')).status).toBe(400);
    });

    it("grants approver or admin only when a second admin confirms; the grant ends the member's sessions", async () => {
      const maker = await t.newStaff(['admin']);
      const checker = await t.newStaff(['admin']);
      const member = await t.newStaff(['operator']);
      const mixed = await maker.bo.patch(`/backoffice/staff/${member.id}`, { roles: ['operator', 'admin'], password: 'another-password-1' });
      expect(mixed.status).toBe(400);
      expect(mixed.body.error.details[0].field).toBe('roles');

      const grant = await maker.bo.patch(`/backoffice/staff/${member.id}`, { roles: ['operator', 'admin'] });
      expect(grant.status).toBe(202);
      expect(grant.body).toMatchObject({ kind: 'staff_roles', before: { roles: ['operator'] }, after: { roles: ['operator', 'admin'] } });
      expect((await member.bo.get('/backoffice/staff')).status).toBe(403);
      await t.confirmChange(grant, checker.bo);
      expect((await member.bo.get('/backoffice/staff')).status).toBe(401);
      const again = bearer(t, await login(t, member.email, member.password));
      expect((await again.get('/backoffice/staff')).status).toBe(200);

      // Removing a role is immediate.
      expect((await maker.bo.patch(`/backoffice/staff/${member.id}`, { roles: ['operator'] })).status).toBe(200);
      expect((await again.get('/backoffice/staff')).status).toBe(401);

      // A new admin, confirmed, logs in with the password given at the proposal.
      const email = `new-admin-${Date.now()}@test.local`;
      const proposal = await maker.bo.post('/backoffice/staff', { email, password: 'new-admin-password', roles: ['admin'] });
      expect(proposal.status).toBe(202);
      expect(JSON.stringify(await t.db.query('SELECT payload FROM pending_changes WHERE id = ?', [proposal.body.id]))).not.toContain('new-admin-password');
      await t.confirmChange(proposal, checker.bo);
      expect((await login(t, email, 'new-admin-password')).status).toBe(200);
      const actions = (await t.db.getRepository(AuditLogEntity).findBy({ targetType: 'staff' }))
        .filter((r) => r.targetId === email || (r.after as { email?: string } | null)?.email === email)
        .map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['change.propose', 'change.confirm', 'staff.create']));
    });
  });

  describe('provider secrets follow no base URL to a new host', () => {
    const path = (merchantId: string) => `/backoffice/merchants/${merchantId}/providers/${TEST_PROVIDER}/config`;
    const base = {
      enabled: true,
      testMode: true,
      baseUrls: { api: 'https://api.testpay.example/v1' },
      accounts: { DEFAULT: { apiKey: 'first-secret-1' }, SECOND: { apiKey: 'second-secret-2' } },
    };

    it('refuses masked secrets (400 naming each) when a base URL changes host; a first config is onboarding and immediate', async () => {
      const admin = await t.newStaff(['admin']);
      const m = await t.newMerchant();
      const first = await admin.bo.put(path(m.id), base);
      expect(first.status).toBe(200);
      const shown = (await admin.bo.get(path(m.id))).body.config;
      expect(shown.accounts.DEFAULT.apiKey).toBe(MASK);

      const moved = await admin.bo.put(path(m.id), { ...shown, baseUrls: { api: 'https://listener.example/v1' } });
      expect(moved.status).toBe(400);
      expect(moved.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['accounts.DEFAULT.apiKey', 'accounts.SECOND.apiKey']);
      expect((await admin.bo.get(`${path(m.id)}/versions`)).body.data).toHaveLength(1);
      expect(await t.db.query('SELECT id FROM pending_changes WHERE target_id = ?', [m.id])).toEqual([]);

      // Same host, other path: masks may stay, but base URLs are still for two admins.
      const samePlace = await admin.bo.put(path(m.id), { ...shown, baseUrls: { api: 'https://api.testpay.example/v2' } });
      expect(samePlace.status).toBe(202);
      expect(samePlace.body.after.changes).toEqual(['baseUrls.api']);

      // Neither base URLs nor secrets change: applies at once.
      const cosmetic = await admin.bo.put(path(m.id), { ...shown, testMode: false });
      expect(cosmetic.status).toBe(200);
      expect(cosmetic.body.version).toBe(2);

      // Every secret sent again for the new host: a proposal, applied by a second admin.
      const resent = await admin.bo.put(path(m.id), {
        ...base,
        testMode: false,
        baseUrls: { api: 'https://listener.example/v1' },
        accounts: { DEFAULT: { apiKey: 'new-secret-1' }, SECOND: { apiKey: 'new-secret-2' } },
      });
      expect(resent.status).toBe(202);
      expect(JSON.stringify(resent.body)).not.toContain('new-secret');
      expect(JSON.stringify(await t.db.query('SELECT payload FROM pending_changes WHERE id = ?', [resent.body.id]))).not.toContain('new-secret');
      await t.confirmChange(resent);
      const account = await t.app.get(ProviderConfigService).resolveAccount(m.id, TEST_PROVIDER, 'DEFAULT');
      expect(account.baseUrls.api).toBe('https://listener.example/v1');
      expect(revealed(account.settings.apiKey)).toBe('new-secret-1');
    });
  });

  describe('login: lockout, timing, unlock, TOTP', () => {
    it('200 parallel wrong passwords: only 5 are evaluated, the account locks, the right password waits; an admin unlocks', async () => {
      const victim = await t.newStaff(['approver']);
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => login(t, victim.email, `wrong-guess-${i}`)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(195);
      for (const r of results.filter((x) => x.status === 429)) {
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(290);
        expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(300);
      }
      const row = await t.db.getRepository(StaffUserEntity).findOneByOrFail({ id: victim.id });
      expect(row.failedLogins).toBe(5);
      expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
      const locked = await login(t, victim.email, victim.password);
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('RATE_LIMITED');

      const admin = await t.newStaff(['admin']);
      expect((await admin.bo.get('/backoffice/staff')).body.data.find((s: { id: string }) => s.id === victim.id).locked).toBe(true);
      expect((await victim.bo.post(`/backoffice/staff/${victim.id}/unlock`)).status).toBe(403);
      const unlocked = await admin.bo.post(`/backoffice/staff/${victim.id}/unlock`);
      expect(unlocked.status).toBe(200);
      expect(unlocked.body.locked).toBe(false);
      expect((await login(t, victim.email, victim.password)).status).toBe(200);
      const [audit] = await t.db.getRepository(AuditLogEntity).findBy({ targetId: victim.id, action: 'staff.unlock' });
      expect(audit).toMatchObject({ actorId: admin.id, before: { locked: true, failedLogins: 5 }, after: { locked: false } });
    });

    it('an unknown email costs about what a known one does', async () => {
      const known = await t.newStaff(['viewer']);
      const timed = async (email: string) => {
        const started = performance.now();
        const res = await login(t, email, 'not-the-password');
        expect(res.status).toBe(401);
        return performance.now() - started;
      };
      const knownTimes: number[] = [];
      const unknownTimes: number[] = [];
      // Interleaved, so load on the machine hits both alike; the known account is unlocked as it goes.
      for (let i = 0; i < 16; i++) {
        knownTimes.push(await timed(known.email));
        unknownTimes.push(await timed(`nobody-${i}@test.local`));
        if (i % 4 === 3) await t.app.get(StaffService).unlock(known.id);
      }
      // Before: 3.5 ms against 42 ms (a ratio of 0.08). The bounds leave room for a loaded machine only.
      const ratio = median(unknownTimes) / median(knownTimes);
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    });

    it('enrols TOTP; login then needs a fresh code, and a code counts once', async () => {
      const member = await t.newStaff(['operator']);
      const enrol = await member.bo.post('/backoffice/auth/totp/enrol');
      expect(enrol.status).toBe(200);
      expect(enrol.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/payhub:/);
      const secret: string = enrol.body.secret;
      const stored = await t.db.getRepository(StaffUserEntity).findOneByOrFail({ id: member.id });
      expect(stored.totpSecret).not.toContain(secret);
      expect(
        (await member.bo.post('/backoffice/auth/totp/confirm', { code: String((Number(totpCode(secret, totpStep())) + 1) % 1_000_000).padStart(6, '0') }))
          .status,
      ).toBe(400);
      const elsewhere = bearer(t, await login(t, member.email, member.password));
      const step = totpStep();
      expect((await member.bo.post('/backoffice/auth/totp/confirm', { code: totpCode(secret, step) })).status).toBe(204);
      // The session that enrolled goes on; sessions opened without the second factor end.
      expect((await member.bo.get('/backoffice/merchants')).status).toBe(200);
      expect((await elsewhere.get('/backoffice/merchants')).status).toBe(401);

      const without = await login(t, member.email, member.password);
      expect(without.status).toBe(401);
      expect(without.body.error).toMatchObject({ code: 'TOTP_REQUIRED', details: [{ field: 'totpCode' }] });
      const replay = await login(t, member.email, member.password, { totpCode: totpCode(secret, step) });
      expect(replay.status).toBe(401);
      expect(replay.body.error.code).toBe('INVALID_CREDENTIALS');
      const fresh = await login(t, member.email, member.password, { totpCode: totpCode(secret, step + 1) });
      expect(fresh.status).toBe(200);
      expect((await bearer(t, fresh).get('/backoffice/merchants')).status).toBe(200);
      expect((await login(t, member.email, member.password, { totpCode: 'abc' })).status).toBe(400);
    });

    it('PAYHUB_STAFF_2FA_ROLES makes TOTP mandatory for those roles: until enrolled, the token only reaches enrolment', async () => {
      const strict = await TestApp.start({ env: { PAYHUB_STAFF_2FA_ROLES: 'admin,approver', RATE_LIMIT_LOGIN_PER_MIN: '0' } });
      try {
        const password = 'strict-password-1';
        const admin = await strict.app.get(StaffService).create({ email: `strict-admin-${Date.now()}@test.local`, password, roles: ['admin'] });
        const viewer = await strict.app.get(StaffService).create({ email: `strict-viewer-${Date.now()}@test.local`, password, roles: ['viewer'] });
        const viewerLogin = await login(strict, viewer.email, password);
        expect(viewerLogin.body.totpEnrolmentRequired).toBe(false);
        expect((await bearer(strict, viewerLogin).get('/backoffice/merchants')).status).toBe(200);

        const first = await login(strict, admin.email, password);
        expect(first.status).toBe(200);
        expect(first.body.totpEnrolmentRequired).toBe(true);
        const limited = bearer(strict, first);
        const blocked = await limited.get('/backoffice/merchants');
        expect(blocked.status).toBe(403);
        expect(blocked.body.error.code).toBe('TOTP_ENROLMENT_REQUIRED');
        const secret = (await limited.post('/backoffice/auth/totp/enrol')).body.secret;
        expect((await limited.post('/backoffice/auth/totp/confirm', { code: totpCode(secret, totpStep()) })).status).toBe(204);
        expect((await limited.get('/backoffice/merchants')).status).toBe(200);
        expect((await login(strict, admin.email, password)).body.error.code).toBe('TOTP_REQUIRED');
      } finally {
        await strict.close();
      }
    });
  });

  describe('server-side sessions', () => {
    it('logout ends that session at once, in every api process; other sessions go on', async () => {
      const other = await TestApp.start({ env: { QUEUE_PREFIX: t.config.queuePrefix } });
      try {
        const member = await t.newStaff(['viewer']);
        const token = (await login(t, member.email, member.password)).body.accessToken;
        const second = t.http.with({ authorization: `Bearer ${token}` });
        const elsewhere = other.http.with({ authorization: `Bearer ${token}` });
        expect((await elsewhere.get('/backoffice/merchants')).status).toBe(200);
        expect((await second.post('/backoffice/auth/logout')).status).toBe(204);
        expect((await second.get('/backoffice/merchants')).status).toBe(401);
        expect((await elsewhere.get('/backoffice/merchants')).status).toBe(401);
        expect((await member.bo.get('/backoffice/merchants')).status).toBe(200);
        const ended = await t.db.getRepository(StaffSessionEntity).findBy({ staffId: member.id });
        expect(ended.map((s) => s.endReason).sort()).toEqual(['logout', null].sort());
      } finally {
        await other.close();
      }
    });

    it('a password change or disabling ends every session of the user', async () => {
      const admin = await t.newStaff(['admin']);
      const member = await t.newStaff(['operator']);
      const second = bearer(t, await login(t, member.email, member.password));
      expect((await admin.bo.patch(`/backoffice/staff/${member.id}`, { password: 'changed-password-1' })).status).toBe(200);
      expect((await member.bo.get('/backoffice/merchants')).status).toBe(401);
      expect((await second.get('/backoffice/merchants')).status).toBe(401);
      const fresh = bearer(t, await login(t, member.email, 'changed-password-1'));
      expect((await fresh.get('/backoffice/merchants')).status).toBe(200);
      expect((await admin.bo.patch(`/backoffice/staff/${member.id}`, { status: 'disabled' })).status).toBe(200);
      expect((await fresh.get('/backoffice/merchants')).status).toBe(401);
      const reasons = (await t.db.getRepository(StaffSessionEntity).findBy({ staffId: member.id })).map((s) => s.endReason).sort();
      expect(reasons).toEqual(['disabled', 'password_changed', 'password_changed']);
    });

    it('ends a session idle for 30 minutes or 8 hours old; both are configurable', async () => {
      const member = await t.newStaff(['viewer']);
      const res = await login(t, member.email, member.password);
      expect(res.body.expiresIn).toBe(8 * 3600);
      const idle = bearer(t, res);
      const aged = bearer(t, await login(t, member.email, member.password));
      const sessions = await t.db.getRepository(StaffSessionEntity).find({ where: { staffId: member.id }, order: { createdAt: 'ASC' } });
      expect(sessions).toHaveLength(3);
      expect(sessions[1].expiresAt.getTime() - sessions[1].createdAt.getTime()).toBe(8 * 3600 * 1000);
      await t.db.query('UPDATE staff_sessions SET last_seen_at = NOW(3) - INTERVAL 29 MINUTE WHERE id = ?', [sessions[1].id]);
      expect((await idle.get('/backoffice/merchants')).status).toBe(200);
      await t.db.query('UPDATE staff_sessions SET last_seen_at = NOW(3) - INTERVAL 31 MINUTE WHERE id = ?', [sessions[1].id]);
      expect((await idle.get('/backoffice/merchants')).status).toBe(401);
      await t.db.query('UPDATE staff_sessions SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [sessions[2].id]);
      expect((await aged.get('/backoffice/merchants')).status).toBe(401);
      expect((await member.bo.get('/backoffice/merchants')).status).toBe(200);

      const config = loadConfig({
        NODE_ENV: 'test',
        PAYHUB_SECRET_KEY: 'a'.repeat(64),
        STAFF_SESSION_IDLE_SECONDS: '600',
        STAFF_SESSION_ABSOLUTE_SECONDS: '3600',
      });
      expect(config.staffSession).toEqual({ idleSeconds: 600, absoluteSeconds: 3600 });
      expect(() => loadConfig({ NODE_ENV: 'test', PAYHUB_SECRET_KEY: 'a'.repeat(64), STAFF_SESSION_IDLE_SECONDS: '5' })).toThrow(ConfigError);
    });

    it('stores no token: the session id is its hash, and a made-up token is 401', async () => {
      const member = await t.newStaff(['viewer']);
      const res = await login(t, member.email, member.password);
      expect(res.body.accessToken).toMatch(/^phs_/);
      expect(JSON.stringify(await t.db.query('SELECT * FROM staff_sessions WHERE staff_id = ?', [member.id]))).not.toContain(res.body.accessToken);
      expect((await t.http.get('/backoffice/merchants', { authorization: `Bearer phs_${'x'.repeat(43)}` })).status).toBe(401);
    });
  });

  describe('TRUST_PROXY', () => {
    it("by default X-Forwarded-For is not believed; a named proxy's is", async () => {
      const member = await t.newStaff(['viewer']);
      await login(t, member.email, member.password, {}, { 'x-forwarded-for': '203.0.113.9' });
      const proxied = await TestApp.start({ env: { TRUST_PROXY: '127.0.0.1,10.0.0.0/8' } });
      try {
        await login(proxied, member.email, member.password, {}, { 'x-forwarded-for': '203.0.113.9' });
      } finally {
        await proxied.close();
      }
      const ips = (await t.db.getRepository(StaffSessionEntity).find({ where: { staffId: member.id }, order: { createdAt: 'ASC' } })).map((s) => s.ip);
      expect(ips).toEqual(['127.0.0.1', '127.0.0.1', '203.0.113.9']);
      expect(() => loadConfig({ NODE_ENV: 'test', PAYHUB_SECRET_KEY: 'a'.repeat(64), TRUST_PROXY: 'everyone' })).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV: 'test', PAYHUB_SECRET_KEY: 'a'.repeat(64), TRUST_PROXY: '10.0.0.0/40' })).toThrow(/TRUST_PROXY/);
      expect(loadConfig({ NODE_ENV: 'test', PAYHUB_SECRET_KEY: 'a'.repeat(64) }).trustProxy).toEqual([]);
    });
  });
});
