import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApplyOutcomeService, CheckStatusUseCase, toTransactionView } from '@payhub/payments';
import { ProviderConfigService } from '@payhub/provider-config';
import { KashaModule, KashaProvider } from '@payhub/providers-kasha';
import { RoutingRuleDto, RoutingService } from '@payhub/routing';
import { TransactionEntity, TxStatus } from '@payhub/transactions';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { KASHA_OTHER_PATHS } from '../apps/sandbox/src/kasha/kasha-sandbox.state';
import { HttpClient } from './support/http-client';
import { TestApp, TestMerchant } from './support/test-app';
import { TestSandbox } from './support/test-sandbox';

type Staff = Awaited<ReturnType<TestApp['newStaff']>>;

/**
 * Kasha payouts end to end: /v1/withdrawals → staff approve/decline in the back office → the payouts
 * worker (payout-options → payout-suboptions → create payout → settle-payout APPROVE) → the
 * simulator's processor → notification → status check.
 */
describe('Kasha payouts', () => {
  let t: TestApp;
  let sandbox: TestSandbox;
  let worker: INestApplicationContext;
  let kasha: HttpClient;
  let approver: Staff;

  beforeAll(async () => {
    [t, sandbox] = await Promise.all([TestApp.start(), TestSandbox.start()]);
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config, { schedule: false, extraModules: [KashaModule] }), {
      logger: false,
      abortOnError: false,
    });
    await worker.init();
    kasha = new HttpClient(`${sandbox.url}/kasha`);
    approver = await t.newStaff(['approver']);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sandbox?.close();
  });

  async function kashaMerchant(account: Record<string, unknown> = {}): Promise<TestMerchant> {
    const merchant = await t.newMerchant();
    await t.app.get(ProviderConfigService).put(
      merchant.id,
      'kasha',
      {
        enabled: true,
        testMode: true,
        baseUrls: { api: `${sandbox.url}/kasha` },
        accounts: {
          DEFAULT: { apiKey: 'kasha-test-key', supportedCurrencies: 'BRL|ARS|MXN|CLP|COP|PEN', redirectUrl: 'https://m.example/payouts', ...account },
        },
      },
      'test',
    );
    await t.app.get(RoutingService).replaceRules(
      merchant.id,
      [
        {
          name: 'kasha payouts',
          priority: 10,
          enabled: true,
          when: {},
          then: { targets: [{ provider: 'kasha', account: 'DEFAULT', weight: 100 }], fallback: [] },
        } as RoutingRuleDto,
      ],
      'test',
    );
    return merchant;
  }

  let seq = 0;
  const withdrawal = (amount: number, overrides: Record<string, unknown> = {}) => ({
    merchantTxId: `kp-${Date.now()}-${seq++}`,
    userId: 'user-9',
    txType: 'BankLocalWithdrawal',
    amount,
    currency: 'ARS',
    country: 'AR',
    customer: { email: 'juan@example.com', phone: '+5491122334455', firstName: 'Juan', lastName: 'Perez', identify: { number: '20304050', type: 'DNI' } },
    bank: { accountNumber: '0170099220000067797370', accountName: 'Juan Perez', accountType: 'savings' },
    ...overrides,
  });

  const stored = (id: string) => t.db.getRepository(TransactionEntity).findOneByOrFail({ id });
  const atKasha = async (txId: string) => (await kasha.get(`/_sandbox/transactions?merchantReference=${txId}`)).body.data as Array<Record<string, any>>;
  async function until(id: string, done: (tx: TransactionEntity) => boolean): Promise<TransactionEntity> {
    for (let i = 0; i < 120; i++) {
      const tx = await stored(id);
      if (done(tx)) return tx;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${id} never reached the expected state (now ${(await stored(id)).status})`);
  }

  it('approved by staff: created at Kasha, settled with APPROVE, PROCESSING, then COMPLETED → SUCCESSFUL', async () => {
    const merchant = await kashaMerchant();
    const created = await merchant.api.post('/v1/withdrawals', withdrawal(2_500_000));
    expect(created.body).toMatchObject({ status: 'WAITING_APPROVAL', provider: 'kasha' });
    expect(await atKasha(created.body.id)).toEqual([]);

    const approved = await approver.bo.post(`/backoffice/withdrawals/${created.body.id}/approve`);
    expect(approved.status).toBe(200);
    const done = await until(created.body.id, (x) => x.status === TxStatus.SUCCESSFUL);
    expect(done.providerData).toMatchObject({ settlement: 'APPROVE', kashaStatus: 'COMPLETED', optionId: 'd_316' });

    const [payout] = await atKasha(done.id);
    expect(payout.id).toBe(done.providerTxId);
    expect(payout.extraData).toEqual({
      name: 'Juan Perez',
      document: '20304050',
      account: '0170099220000067797370',
      accountType: 'savings',
      phone: '+5491122334455',
    });
    expect(payout.history.map((h: { event: string }) => h.event)).toEqual([
      'payout session opened → PENDING',
      'create-payout → PENDING',
      'settle-payout APPROVE (submitted to the processor) → PROCESSING',
      'processor → COMPLETED',
    ]);
    const sent = (await kasha.get(`/_sandbox/requests?contains=${done.providerTxId}`)).body.data.find(
      (r: { path: string }) => r.path === '/kasha/v2/settle-payout',
    );
    expect(sent.body).toEqual({ action: 'APPROVE', transactionId: done.providerTxId });
  });

  it('declined by staff: CANCELLED, and Kasha never even sees the payout', async () => {
    const merchant = await kashaMerchant();
    const created = await merchant.api.post('/v1/withdrawals', withdrawal(2_500_000));
    const declined = await approver.bo.post(`/backoffice/withdrawals/${created.body.id}/decline`, { reason: 'suspicious beneficiary' });
    expect(declined.body).toMatchObject({ status: 'CANCELLED', failure: { code: 'DECLINED_BY_STAFF' } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await stored(created.body.id)).status).toBe(TxStatus.CANCELLED);
    expect(await atKasha(created.body.id)).toEqual([]);
  });

  it('declined by staff after the payout was registered at Kasha: settle-payout DECLINE, never processed', async () => {
    const merchant = await kashaMerchant();
    const created = await merchant.api.post('/v1/withdrawals', withdrawal(2_500_000));
    // Register it at Kasha before the decision, through the port, as a provider-side pre-registration would.
    const tx = await stored(created.body.id);
    const account = await t.app.get(ProviderConfigService).resolveAccount(merchant.id, 'kasha', 'DEFAULT');
    const adapter = t.app.get(KashaProvider);
    const registered = await adapter.withdraw(
      {
        txId: tx.id,
        merchantId: tx.merchantId,
        merchantTxId: tx.merchantTxId,
        userId: tx.userId,
        txType: tx.txType,
        service: null,
        amount: tx.amount,
        currency: tx.currency,
        country: tx.country,
        customer: withdrawal(0).customer,
        bank: withdrawal(0).bank,
        callbackUrl: `${t.config.publicUrl}/callbacks/kasha/${tx.id}`,
        routing: { payway: null, threeDs: { enabled: false, mode: 'off' } },
      },
      account,
    );
    expect(registered).toMatchObject({ status: 'PROCESSING', providerData: { kashaStatus: 'PENDING' } });
    await t.app.get(ApplyOutcomeService).apply(tx.id, { ...registered, status: TxStatus.WAITING_APPROVAL }, { source: 'system', actor: 'test' });

    const declined = await approver.bo.post(`/backoffice/withdrawals/${tx.id}/decline`, { reason: 'duplicate request' });
    expect(declined.body).toMatchObject({ status: 'CANCELLED', failure: { code: 'DECLINED_BY_STAFF' } });
    const [payout] = await atKasha(tx.id);
    expect(payout.status).toBe('DECLINED');
    expect(payout.history.map((h: { event: string }) => h.event)).toEqual([
      'payout session opened → PENDING',
      'create-payout → PENDING',
      'settle-payout DECLINE → DECLINED',
    ]);

    // Whatever happens next, Kasha refuses to approve it.
    const late = await adapter.approvePayout({ tx: toTransactionView(await stored(tx.id)) }, account);
    expect(late).toMatchObject({ status: 'FAILED', failure: { code: 'INVALID_REQUEST', providerCode: '1000' } });
    expect((await atKasha(tx.id))[0].status).toBe('DECLINED');
  });

  it('declinePayout answers FAILED / DECLINED_BY_STAFF with settle-payout DECLINE at the port', async () => {
    const merchant = await kashaMerchant();
    const created = await merchant.api.post('/v1/withdrawals', withdrawal(2_500_000));
    const tx = await stored(created.body.id);
    const account = await t.app.get(ProviderConfigService).resolveAccount(merchant.id, 'kasha', 'DEFAULT');
    const adapter = t.app.get(KashaProvider);
    expect(await adapter.declinePayout({ tx: toTransactionView(tx), reason: 'nothing at Kasha yet' }, account)).toMatchObject({
      status: 'FAILED',
      failure: { code: 'DECLINED_BY_STAFF' },
    });
    expect(await atKasha(tx.id)).toEqual([]);

    const registered = await adapter.withdraw(
      {
        txId: tx.id,
        merchantId: tx.merchantId,
        merchantTxId: tx.merchantTxId,
        userId: tx.userId,
        txType: tx.txType,
        service: null,
        amount: tx.amount,
        currency: tx.currency,
        country: tx.country,
        customer: withdrawal(0).customer,
        bank: withdrawal(0).bank,
        callbackUrl: `${t.config.publicUrl}/callbacks/kasha/${tx.id}`,
        routing: { payway: null, threeDs: { enabled: false, mode: 'off' } },
      },
      account,
    );
    const view = { ...toTransactionView(tx), providerTxId: registered.providerTxId ?? null };
    const outcome = await adapter.declinePayout({ tx: view, reason: 'limit' }, account);
    expect(outcome).toMatchObject({
      status: 'FAILED',
      failure: { code: 'DECLINED_BY_STAFF', providerMessage: 'limit' },
      providerData: { settlement: 'DECLINE', kashaStatus: 'DECLINED' },
    });
    expect((await atKasha(tx.id))[0].status).toBe('DECLINED');
  });

  it("a payout Kasha's processor declines after approval (amount 999) ends FAILED with the mapped code", async () => {
    const merchant = await kashaMerchant();
    const created = await merchant.api.post('/v1/withdrawals', withdrawal(99_900));
    await approver.bo.post(`/backoffice/withdrawals/${created.body.id}/approve`);
    const failed = await until(created.body.id, (x) => x.status === TxStatus.FAILED);
    expect(failed.failure).toMatchObject({ code: 'DECLINED_BY_PROVIDER', providerCode: '999' });
    expect((await atKasha(created.body.id))[0].history.map((h: { event: string }) => h.event)).toContain(
      'settle-payout APPROVE (submitted to the processor) → PROCESSING',
    );
  });

  it("checks the beneficiary against Kasha's form inputs before creating the payout", async () => {
    const merchant = await kashaMerchant();
    // Without customer.identify the payout is a 400 before anything is stored (issue 15).
    const noDocument = await merchant.api.post('/v1/withdrawals', withdrawal(2_500_000, { customer: { firstName: 'Juan' } }));
    expect(noDocument.status).toBe(400);
    expect(noDocument.body.error.details.map((d: { field: string }) => d.field)).toContain('customer.identify.number');
    const created = await merchant.api.post(
      '/v1/withdrawals',
      withdrawal(2_500_000, {
        customer: { firstName: 'Juan', identify: { number: '123', type: 'DNI' } },
        bank: { accountNumber: '123', accountType: 'business' },
      }),
    );
    await approver.bo.post(`/backoffice/withdrawals/${created.body.id}/approve`);
    const failed = await until(created.body.id, (x) => x.status === TxStatus.FAILED);
    expect(failed.failure).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(failed.failure!.providerMessage).toContain('name must be at least 5 characters');
    expect(failed.failure!.providerMessage).toContain('document must be at least 8 characters');
    expect(failed.failure!.providerMessage).toContain('accountType must be one of checking, savings');
    const [session] = await atKasha(created.body.id);
    expect(session.extraData).toBeNull();
    const paths = (await kasha.get(`/_sandbox/requests?contains=${session.sessionId}`)).body.data.map((r: { path: string }) => r.path);
    expect(paths).toEqual(['/kasha/v2/payout-suboptions']);
  });

  it('maps a refusal at payout-options (995: no payout option) to METHOD_UNAVAILABLE', async () => {
    const merchant = await kashaMerchant();
    const created = await merchant.api.post('/v1/withdrawals', withdrawal(99_500));
    await approver.bo.post(`/backoffice/withdrawals/${created.body.id}/approve`);
    const failed = await until(created.body.id, (x) => x.status === TxStatus.FAILED);
    expect(failed.failure).toMatchObject({ code: 'METHOD_UNAVAILABLE', providerCode: '995' });
    expect(await atKasha(created.body.id)).toEqual([]);
  });
  it('other paths for the payout calls the reference does not name (payout-options, create payout): the account names them', async () => {
    await kasha.post('/_sandbox/readings', { paths: KASHA_OTHER_PATHS });
    try {
      const merchant = await kashaMerchant({ paths: KASHA_OTHER_PATHS });
      const created = await merchant.api.post('/v1/withdrawals', withdrawal(2_500_000));
      await approver.bo.post(`/backoffice/withdrawals/${created.body.id}/approve`);
      const done = await until(created.body.id, (x) => x.status === TxStatus.SUCCESSFUL);
      const seen = ((await kasha.get(`/_sandbox/requests?contains=${done.providerData!.sessionId}`)).body.data as Array<{ path: string }>).map((r) => r.path);
      expect(seen).toEqual(['/kasha/v2/payout-suboptions', '/kasha/v2/create-payout']);
      expect(((await kasha.get(`/_sandbox/requests?contains=${created.body.id}`)).body.data as Array<{ path: string }>)[0].path).toBe(
        '/kasha/v2/initiate-payout',
      );
    } finally {
      await kasha.post('/_sandbox/readings', {});
    }
  });

  describe('hosted payout link (service HOSTED_CASHIER): the customer enters the beneficiary at Kasha', () => {
    afterEach(() => kasha.post('/_sandbox/readings', {}));
    const hostedWithdrawal = () =>
      withdrawal(2_500_000, {
        service: 'HOSTED_CASHIER',
        bank: { accountName: 'Juan Perez' },
        customer: { phone: '+5491122334455', firstName: 'Juan', lastName: 'Perez' },
      });
    const beneficiary = { name: 'Juan Perez', document: '20304050', account: '0170099220000067797370' };
    const fill = (url: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(beneficiary), redirect: 'manual' });
    const requestsFor = async (kashaId: string) =>
      ((await kasha.get(`/_sandbox/requests?contains=${kashaId}`)).body.data as Array<{ path: string }>).map((r) => r.path);

    it("after approval payhub asks for the link (WAITING_INPUT + REDIRECT); Kasha's portal confirms the filled payout → SUCCESSFUL", async () => {
      const merchant = await kashaMerchant();
      const created = await merchant.api.post('/v1/withdrawals', hostedWithdrawal());
      expect(created.body).toMatchObject({ status: 'WAITING_APPROVAL', provider: 'kasha' });
      await approver.bo.post(`/backoffice/withdrawals/${created.body.id}/approve`);
      // approvePayout follows withdraw at once and sends nothing for a hosted payout.
      const waiting = await until(created.body.id, (x) => x.status === TxStatus.WAITING_INPUT && x.providerData?.settlement === 'PORTAL');
      expect(waiting.nextAction).toMatchObject({ type: 'REDIRECT', method: 'GET', url: expect.stringContaining('/kasha/payout-cashier/') });
      expect(waiting.providerData).toMatchObject({ flow: 'hosted', settlement: 'PORTAL' });
      const kashaId = waiting.providerTxId!;
      // The documented body of the hosted payout link, and no settle-payout before the customer has filled it.
      const sent = (await kasha.get(`/_sandbox/requests?contains=${created.body.id}`)).body.data.find(
        (r: { path: string }) => r.path === '/kasha/v2/hosted-payout',
      );
      expect(sent.body).toEqual({
        country: 'AR',
        currency: 'ARS',
        amount: 25000,
        redirectUrl: 'https://m.example/payouts',
        notificationUrl: `${t.config.publicUrl}/callbacks/kasha/${created.body.id}`,
        customer: { name: 'Juan Perez', phone: '+5491122334455' },
        userId: 'user-9',
        language: 'EN',
        extra2: created.body.merchantTxId,
        extra3: merchant.id,
      });

      expect((await fill((waiting.nextAction as { url: string }).url)).status).toBe(303);
      // Kasha now holds it PENDING for its portal: a status check keeps it waiting.
      expect((await t.app.get(CheckStatusUseCase).check(created.body.id)).tx.status).toBe(TxStatus.WAITING_INPUT);
      expect(await requestsFor(kashaId)).not.toContain('/kasha/v2/settle-payout');

      // Kasha's merchant portal confirming it (the simulator's portal is its settle-payout).
      const portal = await kasha.post('/v2/settle-payout', { action: 'APPROVE', transactionId: kashaId }, { 'x-api-key': 'portal' });
      expect(portal.body).toMatchObject({ status: 'PROCESSING' });
      const done = await until(created.body.id, (x) => x.status === TxStatus.SUCCESSFUL);
      expect(done.nextAction).toBeNull();
      expect((await kasha.get(`/_sandbox/transactions/${kashaId}`)).body).toMatchObject({
        status: 'COMPLETED',
        extraData: { name: 'Juan Perez', document: '20304050', account: '0170099220000067797370' },
      });
    });

    it('the reading without a confirmation step (hostedPayoutConfirmation: none): filled → processed → SUCCESSFUL', async () => {
      await kasha.post('/_sandbox/readings', { hostedPayoutConfirmation: 'none' });
      const merchant = await kashaMerchant();
      const created = await merchant.api.post('/v1/withdrawals', hostedWithdrawal());
      await approver.bo.post(`/backoffice/withdrawals/${created.body.id}/approve`);
      const waiting = await until(created.body.id, (x) => x.status === TxStatus.WAITING_INPUT && x.providerData?.settlement === 'PORTAL');
      expect((await fill((waiting.nextAction as { url: string }).url)).status).toBe(303);
      await until(created.body.id, (x) => x.status === TxStatus.SUCCESSFUL);
      expect(await requestsFor(waiting.providerTxId!)).not.toContain('/kasha/v2/settle-payout');
    });
  });
});
