import { AuditLogEntity, StaffUserEntity, totpCode, totpStep } from '@payhub/backoffice';
import { randomToken } from '@payhub/common';
import type { Locator } from 'playwright-core';
import { encode } from 'uqr';
import { buildConsole, ConsoleBrowser, ConsoleTab, traced } from './support/console-browser';
import { HttpClient } from './support/http-client';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { TestApp } from './support/test-app';

type Staff = { id: string; email: string; password: string; bo: HttpClient };

/**
 * The Staff screen in the OS Chromium against the real api, MySQL and Redis: admins list, create (approver
 * and admin through maker-checker), disable, unlock and reset passwords; everyone enrols their own second
 * factor from a QR code. Roles that may not see no control for it.
 */
describe('console (browser): staff', () => {
  let t: TestApp;
  let browser: ConsoleBrowser;
  let viewer: Staff, operator: Staff, admin: Staff, admin2: Staff;
  const tabs: Record<string, ConsoleTab> = {};

  beforeAll(async () => {
    await buildConsole();
    // Its own database: the staff list has every staff member, which the shared test database has thousands of.
    t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('console_staff') } });
    browser = await ConsoleBrowser.launch(`http://127.0.0.1:${t.config.port}`);
    [viewer, operator, admin, admin2] = await Promise.all([t.newStaff(['viewer']), t.newStaff(['operator']), t.newStaff(['admin']), t.newStaff(['admin'])]);
    for (const [name, staff] of Object.entries({ viewer, operator, admin, admin2 })) {
      tabs[name] = await browser.tab(name);
      await tabs[name].signIn(staff.email, staff.password);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const button = (scope: ConsoleTab | Locator, name: string) => (scope instanceof ConsoleTab ? scope.page : scope).getByRole('button', { name, exact: true });
  const expectAbsent = async (l: Locator) => expect(await l.count()).toBe(0);
  const staffRow = (tab: ConsoleTab, email: string) => tab.page.getByRole('table', { name: 'Staff members' }).getByRole('row').filter({ hasText: email });
  const stored = (id: string) => t.db.getRepository(StaffUserEntity).findOneByOrFail({ id });
  const audits = (action: string, targetId: string) => t.db.getRepository(AuditLogEntity).find({ where: { action, targetId }, order: { createdAt: 'ASC' } });
  /** Through another screen, so the list is read again. */
  async function openStaff(tab: ConsoleTab): Promise<void> {
    await tab.go('/');
    await tab.page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
    await tab.go('/staff');
    await tab.page.getByRole('heading', { name: 'Staff', exact: true }).waitFor();
  }
  async function statusText(tab: ConsoleTab, contains: string): Promise<void> {
    await tab.page.getByRole('status').filter({ hasText: contains }).first().waitFor();
  }

  it('viewers and operators see only their own second factor: no list, no create, no Queues in the navigation', async () => {
    await traced('staff for non-admins', [tabs.viewer, tabs.operator, tabs.admin], async () => {
      for (const tab of [tabs.viewer, tabs.operator]) {
        const nav = tab.page.getByRole('navigation', { name: 'Main' });
        await nav.getByRole('link', { name: 'Staff', exact: true }).waitFor();
        await nav.getByRole('link', { name: 'Reconciliation', exact: true }).waitFor();
        await expectAbsent(nav.getByRole('link', { name: 'Queues', exact: true }));
        await openStaff(tab);
        await tab.page.getByRole('heading', { name: 'Your second factor' }).waitFor();
        await button(tab, 'Set up authenticator').waitFor();
        await expectAbsent(tab.page.getByRole('table', { name: 'Staff members' }));
        await expectAbsent(tab.page.getByRole('heading', { name: 'Add a staff member' }));
        await expectAbsent(button(tab, 'Create staff member'));
        await expectAbsent(button(tab, 'Reset password'));
      }
      await tabs.admin.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queues', exact: true }).waitFor();
    });
  });

  it('an admin creates an operator at once; an approver becomes a proposal a second admin confirms; both audited', async () => {
    const tab = tabs.admin;
    const opEmail = `op-${randomToken(6)}@console.test`;
    const apEmail = `ap-${randomToken(6)}@console.test`;
    await traced('create staff', [tab, tabs.admin2], async () => {
      const { page } = tab;
      await openStaff(tab);
      await staffRow(tab, viewer.email).waitFor();
      const form = page.getByRole('form', { name: 'Add a staff member' });
      // Refused in the form: nothing is sent.
      await form.getByLabel('Email', { exact: true }).fill(opEmail);
      await form.getByLabel('Temporary password', { exact: true }).fill('short');
      await button(form, 'Create staff member').click();
      await page.getByRole('alert').filter({ hasText: 'at least 10 characters' }).waitFor();
      expect(await t.db.getRepository(StaffUserEntity).countBy({ email: opEmail })).toBe(0);

      await form.getByLabel('Temporary password', { exact: true }).fill('temporary-pass-1');
      await form.getByRole('checkbox', { name: 'viewer' }).uncheck();
      await form.getByRole('checkbox', { name: 'operator' }).check();
      await button(form, 'Create staff member').click();
      await statusText(tab, `Created ${opEmail} (operator)`);
      await staffRow(tab, opEmail).getByRole('cell', { name: 'operator', exact: true }).waitFor();
      const created = await t.db.getRepository(StaffUserEntity).findOneByOrFail({ email: opEmail });
      expect(created.roles).toEqual(['operator']);
      expect(await audits('staff.create', created.id)).toHaveLength(1);
      await tab.screenshot('staff');

      // The same email again: the API's refusal is shown.
      await form.getByLabel('Email', { exact: true }).fill(opEmail);
      await form.getByLabel('Temporary password', { exact: true }).fill('temporary-pass-1');
      await button(form, 'Create staff member').click();
      await page.getByRole('alert').filter({ hasText: '[' }).waitFor();

      await form.getByLabel('Email', { exact: true }).fill(apEmail);
      await form.getByLabel('Temporary password', { exact: true }).fill('temporary-pass-2');
      await form.getByRole('checkbox', { name: 'approver' }).check();
      await form.getByRole('checkbox', { name: 'viewer' }).uncheck();
      await form.getByText('Granting approver needs a second admin').waitFor();
      await button(form, 'Propose staff member').click();
      await statusText(tab, `Proposed ${apEmail} as approver: a second admin confirms it`);
      expect(await t.db.getRepository(StaffUserEntity).countBy({ email: apEmail })).toBe(0);

      // The second admin confirms it on the Payouts screen's pending changes.
      const other = tabs.admin2;
      await other.go('/payouts');
      const change = other.page.getByRole('list', { name: 'Pending changes' }).getByRole('listitem').filter({ hasText: apEmail });
      await button(change, 'Confirm change').click();
      await other.page.getByRole('status').filter({ hasText: 'confirmed' }).waitFor();
      const approver = await t.db.getRepository(StaffUserEntity).findOneByOrFail({ email: apEmail });
      expect(approver.roles).toEqual(['approver']);
      await openStaff(other);
      await staffRow(other, apEmail).getByRole('cell', { name: 'approver', exact: true }).waitFor();
    });
  });

  it('an admin disables and enables a staff member (their sessions end), and unlocks a locked one; audited', async () => {
    const target = await t.newStaff(['operator']);
    const tab = tabs.admin;
    await traced('disable and unlock', [tab], async () => {
      await openStaff(tab);
      expect((await target.bo.get('/backoffice/auth/me')).status).toBe(200);
      await button(staffRow(tab, target.email), 'Disable').click();
      await statusText(tab, `${target.email}: disabled, sessions ended`);
      await staffRow(tab, target.email).getByRole('cell', { name: 'disabled', exact: true }).waitFor();
      expect((await stored(target.id)).status).toBe('disabled');
      expect((await target.bo.get('/backoffice/auth/me')).status).toBe(401);
      expect((await t.http.post('/backoffice/auth/login', { email: target.email, password: target.password })).status).toBe(401);
      await button(staffRow(tab, target.email), 'Enable').click();
      await statusText(tab, `${target.email}: enabled`);
      expect((await stored(target.id)).status).toBe('active');
      expect((await audits('staff.update', target.id)).map((a) => (a.after as { status: string }).status)).toEqual(['disabled', 'active']);

      // Locked by failed logins (set here directly: the lock itself is tested in staff-security).
      await t.db.query('UPDATE staff_users SET failed_logins = 10, locked_until = ? WHERE id = ?', [new Date(Date.now() + 3600_000), target.id]);
      await openStaff(tab);
      await staffRow(tab, target.email).getByRole('cell', { name: 'locked', exact: true }).waitFor();
      await button(staffRow(tab, target.email), 'Unlock').click();
      await statusText(tab, `${target.email}: unlocked`);
      await expectAbsent(button(staffRow(tab, target.email), 'Unlock'));
      expect(await stored(target.id)).toMatchObject({ failedLogins: 0, lockedUntil: null });
      expect(await audits('staff.unlock', target.id)).toHaveLength(1);
      expect((await t.http.post('/backoffice/auth/login', { email: target.email, password: target.password })).status).toBe(200);
      // One's own row has no controls.
      await expectAbsent(staffRow(tab, admin.email).getByRole('button'));
    });
  });

  it("an admin sets a temporary password: the user's sessions end, the old password stops working; audited without the password", async () => {
    const target = await t.newStaff(['viewer']);
    const tab = tabs.admin;
    const temporary = `temp-${randomToken(10)}`;
    await traced('reset password', [tab], async () => {
      const { page } = tab;
      await openStaff(tab);
      await button(staffRow(tab, target.email), 'Reset password').click();
      const dialog = page.getByRole('dialog', { name: `Reset the password of ${target.email}` });
      await dialog.getByLabel('Temporary password').fill('short');
      await button(dialog, 'Set password').click();
      await dialog.getByRole('alert').filter({ hasText: 'At least 10 characters' }).waitFor();
      await dialog.getByLabel('Temporary password').fill(temporary);
      await tab.screenshot('staff-reset-password');
      await button(dialog, 'Set password').click();
      await statusText(tab, `${target.email}: temporary password set, sessions ended`);
      expect(await dialog.count()).toBe(0);
      expect((await target.bo.get('/backoffice/auth/me')).status).toBe(401);
      expect((await t.http.post('/backoffice/auth/login', { email: target.email, password: target.password })).status).toBe(401);
      expect((await t.http.post('/backoffice/auth/login', { email: target.email, password: temporary })).status).toBe(200);
      const [audit] = await audits('staff.update', target.id);
      expect(audit.after).toMatchObject({ passwordChanged: true });
      expect(JSON.stringify(audit)).not.toContain(temporary);
    });
  });

  it('anyone enrols their own second factor from a QR code of the otpauth link; sign-in then asks for the code', async () => {
    const staff = await t.newStaff(['viewer']);
    const tab = await browser.tab('totp');
    const otherSession = await t.newStaff(['viewer']); // a bystander: not touched
    await traced('enrol second factor', [tab], async () => {
      const { page } = tab;
      await tab.signIn(staff.email, staff.password);
      // A second session of the same person, ended by the enrolment.
      const login = await t.http.post('/backoffice/auth/login', { email: staff.email, password: staff.password });
      const second = t.http.with({ authorization: `Bearer ${login.body.accessToken}` });
      await openStaff(tab);
      await button(tab, 'Set up authenticator').click();
      const qr = page.getByRole('img', { name: 'QR code of the authenticator link' });
      await qr.waitFor();
      const uri = (await page.getByTestId('totp-uri').textContent())!;
      const secret = (await page.getByTestId('totp-secret').textContent())!;
      expect(uri).toMatch(/^otpauth:\/\/totp\//);
      expect(uri).toContain(`secret=${secret}`);
      // The QR code holds exactly the link shown: its modules are those of the link's encoding.
      const expected = encode(uri, { ecc: 'M', border: 4 }).data;
      expect(Number(await qr.getAttribute('data-modules'))).toBe(expected.length);
      const drawn = (await qr.locator('path').getAttribute('d'))!;
      const dark = new Set(drawn.match(/M\d+ \d+/g)!.map((m) => m.slice(1)));
      const want = expected.flatMap((row, y) => row.flatMap((on, x) => (on ? [`${x} ${y}`] : [])));
      expect(dark.size).toBe(want.length);
      expect(want.every((cell) => dark.has(cell))).toBe(true);
      await tab.screenshot('second-factor');

      await page.getByLabel('Authenticator code').fill('000000');
      await button(tab, 'Confirm code').click();
      await page.getByRole('alert').filter({ hasText: 'code' }).waitFor();
      await page.getByLabel('Authenticator code').fill(totpCode(secret, totpStep()));
      await button(tab, 'Confirm code').click();
      await statusText(tab, 'Second factor on');
      expect((await stored(staff.id)).totpEnabledAt).not.toBeNull();
      expect((await second.get('/backoffice/auth/me')).status).toBe(401);
      expect((await otherSession.bo.get('/backoffice/auth/me')).status).toBe(200);
      // This tab's session goes on; a new sign-in needs the code.
      expect((await t.http.post('/backoffice/auth/login', { email: staff.email, password: staff.password })).body.error.code).toBe('TOTP_REQUIRED');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    });
    await tab.context.close();
  });
});
