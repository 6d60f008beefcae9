import { StaffUserEntity, totpCode, totpStep } from '@payhub/backoffice';
import { buildConsole, ConsoleBrowser, traced } from './support/console-browser';
import { TestApp } from './support/test-app';

/** With a second factor mandatory for a role (PAYHUB_STAFF_2FA_ROLES), the console opens nothing before enrolment. */
describe('console (browser): mandatory second factor', () => {
  let t: TestApp;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    await buildConsole();
    t = await TestApp.start({ env: { PAYHUB_STAFF_2FA_ROLES: 'admin' } });
    browser = await ConsoleBrowser.launch(`http://127.0.0.1:${t.config.port}`);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('an admin without TOTP sees that enrolment is required, no screen, and can sign out', async () => {
    const admin = await t.newStaff(['admin']);
    const tab = await browser.tab('enrol');
    await traced('enrolment required', [tab], async () => {
      const { page } = tab;
      await page.getByLabel('Email', { exact: true }).fill(admin.email);
      await page.getByLabel('Password', { exact: true }).fill(admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Second factor required' }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByText('You have signed out.').waitFor();
    });
    await tab.context.close();
  });

  it('the enrolment-required screen enrols the second factor from its QR code and then opens the console', async () => {
    const admin = await t.newStaff(['admin']);
    const tab = await browser.tab('enrol-here');
    await traced('enrol on the required screen', [tab], async () => {
      const { page } = tab;
      await page.getByLabel('Email', { exact: true }).fill(admin.email);
      await page.getByLabel('Password', { exact: true }).fill(admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Second factor required' }).waitFor();
      await page.getByRole('button', { name: 'Set up authenticator' }).click();
      await page.getByRole('img', { name: 'QR code of the authenticator link' }).waitFor();
      const secret = (await page.getByTestId('totp-secret').textContent())!;
      await page.getByLabel('Authenticator code').fill(totpCode(secret, totpStep()));
      await page.getByRole('button', { name: 'Confirm code' }).click();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queues' }).waitFor();
      expect((await t.db.getRepository(StaffUserEntity).findOneByOrFail({ id: admin.id })).totpEnabledAt).not.toBeNull();
    });
    await tab.context.close();
  });
});
