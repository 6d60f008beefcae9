import { getQueueToken } from '@nestjs/bull';
import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import type { DataSource } from 'typeorm';
import { JOBS, QUEUES, RateLimiter } from '@payhub/common';
import { CallbackInboxEntity, statusCheckWindowKey, TrailingStatusChecks } from '@payhub/payments';
import { TransactionEntity, TransactionEventEntity } from '@payhub/transactions';
import { HttpClient } from './support/http-client';
import { startPayoutWorker } from './support/payout-worker';
import { TestApp, TestMerchant } from './support/test-app';
import { testConfig } from './support/test-config';
import { TestSandbox } from './support/test-sandbox';
import { waitFor } from './support/webhook-endpoint';

/** The coalescing window of this file: short, so the test is quick, and long enough for a loaded machine. */
const WINDOW_MS = 5000;

/**
 * Kasha's notifications are never trusted: each prompts a status check, at most one per transaction per
 * window. One held back by the window must still be answered: by a trailing check at the window's end,
 * a job in Redis (the worker runs it), never left to the scheduled status sync minutes later.
 */
describe('Kasha notifications held back by the status-check window', () => {
  let t: TestApp;
  let sandbox: TestSandbox;
  let kasha: HttpClient;
  let worker: INestApplicationContext | undefined;
  let apiClosed = false;

  beforeAll(async () => {
    [t, sandbox] = await Promise.all([TestApp.start({ env: { CALLBACK_STATUS_CHECK_WINDOW_MS: String(WINDOW_MS) } }), TestSandbox.start()]);
    kasha = new HttpClient(`${sandbox.url}/kasha`);
  });
  afterAll(async () => {
    await worker?.close();
    if (!apiClosed) await t?.close();
    await sandbox?.close();
  });

  async function kashaMerchant(): Promise<TestMerchant> {
    const merchant = await t.newMerchant();
    await t.routeAllToProvider(merchant.id, 'kasha', {
      enabled: true,
      testMode: true,
      baseUrls: { api: `${sandbox.url}/kasha` },
      accounts: { DEFAULT: { apiKey: 'kasha-test-key', supportedCurrencies: 'BRL' } },
      // Kasha may answer only once payhub has answered its notification: on a loaded machine that can take over 2 s.
      timeoutMs: 15_000,
    });
    return merchant;
  }
  const statusChecks = async (kashaId: string) =>
    (await kasha.get(`/_sandbox/requests?contains=${kashaId}`)).body.data.filter(
      (r: { method: string; path: string }) => r.method === 'GET' && r.path === `/kasha/v2/transactions/${kashaId}`,
    ).length;
  const customer = { email: 'maria@example.com', phone: '+5511999999999', firstName: 'Maria', identify: { number: '36570630563', type: 'BRA_CPF' } };

  it('a notification ahead of the direct-payment answer is noted, not applied; its trailing check at the window end confirms the answer and changes nothing', async () => {
    await kasha.post('/_sandbox/readings', { notificationOrder: 'beforeAnswer' });
    const early = await startPayoutWorker(t.config);
    try {
      const merchant = await kashaMerchant();
      const res = await merchant.api.post('/v1/deposits', {
        merchantTxId: `ks-${Date.now()}-card`,
        userId: 'user-7',
        txType: 'CreditcardDeposit',
        amount: 1_000_000,
        currency: 'BRL',
        country: 'BR',
        card: { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', cvv: '737', holder: 'MARIA SILVA' },
        customer,
        redirectUrls: { success: 'https://m.example/ok' },
      });
      expect(res.body).toMatchObject({ status: 'SUCCESSFUL', failure: null });
      const txId: string = res.body.id;
      const kashaId = (await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: txId })).providerTxId!;
      const queue = early.get<Queue>(getQueueToken(QUEUES.statusSync));
      const done = await waitFor(
        async () => (await queue.getCompleted()).find((j) => j.name === JOBS.trailingStatusCheck && j.data.transactionId === txId),
        WINDOW_MS + 15_000,
        'the trailing status check to run',
      );
      expect(done.returnvalue).toEqual({ result: 'checked' });
      // The notification's own check had no Kasha id to ask about yet (no call, a note); the trailing one asked.
      expect(await statusChecks(kashaId)).toBe(1);
      const events = await t.db.getRepository(TransactionEventEntity).find({ where: { transactionId: txId }, order: { id: 'ASC' } });
      expect(events.filter((e) => e.kind === 'status_change').map((e) => [e.fromStatus, e.toStatus, e.source])).toEqual([
        [null, 'REGISTERED', 'api'],
        ['REGISTERED', 'SUCCESSFUL', 'api'],
      ]);
      expect(events).toContainEqual(
        expect.objectContaining({ kind: 'provider_exchange', fromStatus: 'REGISTERED', toStatus: 'REGISTERED', source: 'status_check' }),
      );
      expect(await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: txId })).toMatchObject({ status: 'SUCCESSFUL', version: 1 });
    } finally {
      await kasha.post('/_sandbox/readings', {});
      await early.close();
    }
  });

  it('a trailing check Bull runs again after a failed attempt still checks; a twin of a job that ran finds the window taken', async () => {
    const merchant = await kashaMerchant();
    const res = await merchant.api.post('/v1/deposits', {
      merchantTxId: `ks-retry-${Date.now()}`,
      userId: 'user-8',
      txType: 'BankDeposit',
      amount: 250_000,
      currency: 'BRL',
      country: 'BR',
      bank: { bankCode: 'b_101' },
      customer,
      redirectUrls: { success: 'https://m.example/ok' },
    });
    expect(res.body.status).toBe('WAITING_INPUT');
    const kashaId = (await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: res.body.id })).providerTxId!;
    const { endsAt } = await t.app.get(RateLimiter).openWindow(statusCheckWindowKey(res.body.id), WINDOW_MS);
    const job = { transactionId: res.body.id, windowEndsAt: endsAt };
    const trailing = t.app.get(TrailingStatusChecks);
    // The first attempt opens the next window and checks; say it then threw (Redis or MySQL gone for a moment).
    expect(await trailing.run(job)).toBe('checked');
    // Bull's retry of the same job: the window is the one its own first attempt opened.
    expect(await trailing.run(job, { retry: true })).toBe('checked');
    expect(await statusChecks(kashaId)).toBe(2);
    // Not a retry: the job's twin (the same window, run twice) asks Kasha nothing more.
    expect(await trailing.run(job)).toBe('superseded');
    expect(await statusChecks(kashaId)).toBe(2);
  });

  it('a notification coalesced after the check saw PENDING leads to one trailing check at the window end, which settles the deposit (api restarted, no status sync)', async () => {
    const merchant = await kashaMerchant();
    const res = await merchant.api.post('/v1/deposits', {
      merchantTxId: `ks-${Date.now()}`,
      userId: 'user-7',
      txType: 'BankDeposit',
      amount: 250_000,
      currency: 'BRL',
      country: 'BR',
      bank: { bankCode: 'b_101' },
      customer,
      redirectUrls: { success: 'https://m.example/ok' },
    });
    expect(res.body).toMatchObject({ status: 'WAITING_INPUT', nextAction: { type: 'REDIRECT' } });
    const txId: string = res.body.id;
    const kashaId = (await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: txId })).providerTxId!;
    // 1. Kasha notifies while the transfer is PENDING: payhub checks at once and finds it still waiting.
    expect((await kasha.post(`/_sandbox/transactions/${kashaId}/notify`)).body.httpStatus).toBe(200);
    expect(await statusChecks(kashaId)).toBe(1);
    // 2. The customer pays a moment later: Kasha completes it and notifies again (and once more, a retry),
    //    inside the window of the first check, so neither notification checks.
    const paid = await fetch(res.body.nextAction.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ result: 'success' }),
      redirect: 'manual',
    });
    expect(paid.headers.get('x-kasha-notification-status')).toBe('200');
    expect((await kasha.post(`/_sandbox/transactions/${kashaId}/notify`)).body.httpStatus).toBe(200);
    const inbox = await t.db.getRepository(CallbackInboxEntity).find({ where: { transactionId: txId }, order: { receivedAt: 'ASC' } });
    expect(inbox.map((r) => r.state)).toEqual(['applied', 'coalesced', 'coalesced']);
    expect(await statusChecks(kashaId)).toBe(1);
    expect((await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: txId })).status).toBe('WAITING_INPUT');

    // The api that took the notifications goes away; a worker without timers (no status sync) comes up.
    await t.close();
    apiClosed = true;
    worker = await startPayoutWorker(t.config);
    const db = worker.get<DataSource>(getDataSourceToken());
    const settled = await waitFor(
      async () => {
        const tx = await db.getRepository(TransactionEntity).findOneByOrFail({ id: txId });
        return tx.status === 'SUCCESSFUL' ? tx : null;
      },
      WINDOW_MS + 15_000,
      'the trailing status check to settle the deposit',
    );
    expect(settled.failure).toBeNull();
    // One check for the window, one trailing check for both notifications it held back.
    expect(await statusChecks(kashaId)).toBe(2);
    const events = await db.getRepository(TransactionEventEntity).find({ where: { transactionId: txId }, order: { id: 'ASC' } });
    expect(events.filter((e) => e.toStatus === 'SUCCESSFUL')).toEqual([
      expect.objectContaining({ kind: 'status_change', fromStatus: 'WAITING_INPUT', source: 'status_check', reason: expect.stringContaining('trailing') }),
    ]);
  });
});

describe('status-check windows in Redis (RateLimiter.openWindow / openNextWindow)', () => {
  const limiter = new RateLimiter(testConfig());
  afterAll(() => limiter.onModuleDestroy());

  it('one caller of many opens the window; all of them learn the same end', async () => {
    const before = Date.now();
    const seen = await Promise.all(Array.from({ length: 20 }, () => limiter.openWindow('w:parallel', 4000)));
    expect(seen.filter((w) => w.first)).toHaveLength(1);
    expect(new Set(seen.map((w) => w.endsAt)).size).toBe(1);
    // On Redis's clock, which is this machine's: between the calls' start and end, plus the window.
    expect(seen[0].endsAt).toBeGreaterThanOrEqual(before + 4000 - 5);
    expect(seen[0].endsAt).toBeLessThanOrEqual(Date.now() + 4000 + 5);
  });

  it('the trailing check opens the next window once; a notification that opened one first supersedes it', async () => {
    const first = await limiter.openWindow('w:next', 60_000);
    // Run while the window is still open (a job a little early): it replaces that window, once.
    expect(await limiter.openNextWindow('w:next', 60_000, first.endsAt)).toBe(true);
    expect(await limiter.openNextWindow('w:next', 60_000, first.endsAt)).toBe(false);
    const next = await limiter.openWindow('w:next', 60_000);
    expect(next.first).toBe(false);
    expect(next.endsAt).not.toBe(first.endsAt);

    // A window that ended and was followed by a notification's own window: the trailing check has nothing to do.
    const short = await limiter.openWindow('w:late', 1000);
    await new Promise((r) => setTimeout(r, 1200));
    const later = await limiter.openWindow('w:late', 60_000);
    expect(later.first).toBe(true);
    expect(await limiter.openNextWindow('w:late', 60_000, short.endsAt)).toBe(false);
    // A window that ended with nothing after it: the trailing check runs and opens the next.
    const alone = await limiter.openWindow('w:alone', 1000);
    await new Promise((r) => setTimeout(r, 1200));
    expect(await limiter.openNextWindow('w:alone', 60_000, alone.endsAt)).toBe(true);
    expect((await limiter.openWindow('w:alone', 60_000)).first).toBe(false);
  });
});
