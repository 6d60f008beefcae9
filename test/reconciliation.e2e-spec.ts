import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { newId } from '@payhub/common';
import { StatusCheckEntity, StatusSyncService } from '@payhub/reconciliation';
import { OutboxEntity, TransactionEntity, TransactionEventEntity, TransactionStateService, TxStatus, TxType } from '@payhub/transactions';
import { ReconciliationScheduler } from '../apps/worker/src/reconciliation.scheduler';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { TestApp } from './support/test-app';
import { TEST_PROVIDER, TEST_PROVIDER_B, TestPayProvider, TestProviderModule } from './support/test-provider';
import { waitFor } from './support/webhook-endpoint';
import { transactionThrough } from './support/webhook-fixtures';

const { PROCESSING, WAITING_INPUT, WAITING_APPROVAL, SUCCESSFUL, CANCELLED, REGISTERED } = TxStatus;
// The second delay is long enough that a loaded machine never reaches it while a test ticks on purpose too early.
const CHECK_DELAYS_MS = [100, 2000, 4000];
const TESTPAY_B_LIFETIME_MS = 600;
const STALE_REGISTERED_MS = 1500;

describe('reconciliation', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let state: TransactionStateService;
  let scheduler: ReconciliationScheduler;
  let merchantId: string;
  let minute = 0;

  beforeAll(async () => {
    t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('reconciliation') } });
    state = t.app.get(TransactionStateService);
    // Timers off: the test ticks the real scheduler itself; the processors run on Bull as in production.
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(t.config, {
        schedule: false,
        extraModules: [TestProviderModule],
        reconciliation: {
          checkDelaysMs: CHECK_DELAYS_MS,
          sessionLifetimesMs: { [TEST_PROVIDER_B]: TESTPAY_B_LIFETIME_MS },
          staleRegisteredAfterMs: STALE_REGISTERED_MS,
        },
      }),
      { logger: false },
    );
    await worker.init();
    scheduler = worker.get(ReconciliationScheduler);
    merchantId = (await t.newMerchant()).id;
    await t.routeAllTo(merchantId, undefined, [TEST_PROVIDER, TEST_PROVIDER_B]);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  const testpay = () => worker.get(TestPayProvider);
  const testpayB = () => worker.get<TestPayProvider>('TESTPAY_B');
  /** One timer tick; each tick is its own minute slot, as the cron's would be. */
  const tick = () => scheduler.scanUnfinished(new Date(Date.UTC(2030, 0, 1, 0, minute++)));
  const statusOf = async (id: string) => (await t.db.getRepository(TransactionEntity).findOneByOrFail({ id })).status;
  const eventsOf = (id: string) => t.db.getRepository(TransactionEventEntity).find({ where: { transactionId: id }, order: { id: 'ASC' } });
  const checkRow = (id: string) => t.db.getRepository(StatusCheckEntity).findOneBy({ transactionId: id });

  it('settles a transaction left PROCESSING by a lost callback', async () => {
    // testpay has no batch call: this runs the one-transaction path.
    const tx = await transactionThrough(state, merchantId, [REGISTERED, PROCESSING], { provider: TEST_PROVIDER });
    testpay().statuses.set(tx.id, SUCCESSFUL);
    await new Promise((r) => setTimeout(r, CHECK_DELAYS_MS[0] + 50));
    await tick();

    await waitFor(async () => (await statusOf(tx.id)) === SUCCESSFUL, 10000, 'status sync to settle the transaction');
    const last = (await eventsOf(tx.id)).at(-1)!;
    expect(last).toMatchObject({ kind: 'status_change', fromStatus: PROCESSING, toStatus: SUCCESSFUL, source: 'status_check', actor: 'reconciliation' });
    const outbox = await t.db.getRepository(OutboxEntity).find({ where: { transactionId: tx.id }, order: { id: 'ASC' } });
    expect(outbox.map((o) => (o.payload as { transaction: { status: string } }).transaction.status)).toEqual([REGISTERED, PROCESSING, SUCCESSFUL]);
    // Settled transactions leave the schedule.
    await waitFor(async () => (await checkRow(tx.id)) === null, 5000, 'the schedule row to go');
  });

  it('checks on the backoff schedule, one step per check, and never twice for one step', async () => {
    const tx = await transactionThrough(state, merchantId, [REGISTERED, WAITING_INPUT], { provider: TEST_PROVIDER });
    await tick();
    const enrolled = await waitFor(() => checkRow(tx.id), 5000, 'enrolment');
    // Enrolled from the outbox: the first check is due a delay after the transaction entered WAITING_INPUT. When
    // that moment had passed at enrolment (a loaded machine reads the outbox late), the row is written leased,
    // its check enqueued at once, and may already be done when read here.
    const entered = await t.db.getRepository(OutboxEntity).find({ where: { transactionId: tx.id }, order: { id: 'DESC' }, take: 1 });
    const dueAt = entered[0].createdAt.getTime() + CHECK_DELAYS_MS[0];
    if (enrolled.step === 0 && enrolled.dispatchToken === null) expect(enrolled.nextCheckAt.getTime()).toBe(dueAt);
    else expect(enrolled.createdAt.getTime()).toBeGreaterThanOrEqual(dueAt);
    expect(enrolled.step).toBeLessThanOrEqual(1);
    // A session at testpay lives the default 24 h.
    expect(enrolled.expiresAt.getTime() - tx.createdAt.getTime()).toBe(24 * 3600 * 1000);

    await new Promise((r) => setTimeout(r, CHECK_DELAYS_MS[0] + 50));
    await tick();
    const first = await waitFor(
      async () => {
        const r = await checkRow(tx.id);
        return r && r.step === 1 && r.lastResult ? r : null;
      },
      5000,
      'the first check',
    );
    expect(first.nextCheckAt.getTime() - first.lastCheckedAt!.getTime()).toBe(CHECK_DELAYS_MS[1]);
    await tick();
    await tick();
    await new Promise((r) => setTimeout(r, 100));
    expect((await checkRow(tx.id))!.step).toBe(1);
    const checks = (await eventsOf(tx.id)).filter((e) => e.source === 'status_check');
    expect(checks).toHaveLength(1);
    expect(await statusOf(tx.id)).toBe(WAITING_INPUT);
  });

  it('expires a session past its provider lifetime after a last check: CANCELLED with EXPIRED', async () => {
    const tx = await transactionThrough(state, merchantId, [REGISTERED, WAITING_INPUT], { provider: TEST_PROVIDER_B });
    const paidMeanwhile = await transactionThrough(state, merchantId, [REGISTERED, WAITING_INPUT], { provider: TEST_PROVIDER_B });
    testpayB().statuses.set(paidMeanwhile.id, SUCCESSFUL);
    await new Promise((r) => setTimeout(r, TESTPAY_B_LIFETIME_MS + 50));
    await tick();

    await waitFor(async () => (await statusOf(tx.id)) === CANCELLED, 10000, 'the expiry');
    const stored = await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: tx.id });
    expect(stored.failure).toMatchObject({ code: 'EXPIRED' });
    expect(stored.nextAction).toBeNull();
    const [check, cancel] = (await eventsOf(tx.id)).slice(-2);
    expect(check).toMatchObject({ kind: 'provider_exchange', source: 'status_check' });
    expect(cancel).toMatchObject({ kind: 'status_change', fromStatus: WAITING_INPUT, toStatus: CANCELLED, source: 'system', actor: 'reconciliation' });
    // The last check found it paid: paid stays paid.
    await waitFor(async () => (await statusOf(paidMeanwhile.id)) === SUCCESSFUL, 10000, 'the paid session');
    expect((await eventsOf(paidMeanwhile.id)).some((e) => e.toStatus === CANCELLED)).toBe(false);
    // testpay-b answers in batches: both sessions were asked about in one call.
    expect(testpayB().batchCalls).toContainEqual(expect.arrayContaining([tx.id, paidMeanwhile.id]));
  });

  it('takes up a deposit or refund whose provider answer was lost (REGISTERED past the grace), never a fresh one or an approved payout', async () => {
    const sync = worker.get(StatusSyncService);
    const lost = await transactionThrough(state, merchantId, [REGISTERED], { provider: TEST_PROVIDER });
    testpay().statuses.set(lost.id, SUCCESSFUL);
    const payout = await state.create(
      {
        id: newId('tx'),
        merchantId,
        merchantTxId: newId('tx'),
        userId: 'u1',
        txType: TxType.WalletWithdrawal,
        service: null,
        status: WAITING_APPROVAL,
        amount: 1000n,
        currency: 'EUR',
        country: 'DE',
        provider: TEST_PROVIDER,
        providerAccount: 'DEFAULT',
        parentId: null,
        routingRuleId: null,
        routingReason: null,
        cardBrand: null,
        cardBin: null,
        cardLast4: null,
        cardExpiry: null,
        details: null,
        notificationUrl: null,
        createdBy: null,
      },
      { source: 'system' },
    );
    await state.transition(payout.id, REGISTERED, { source: 'system', reason: 'approved, waiting for its submission job' });

    // Within the grace the deposit may still be waiting for its answer: nobody asks about it.
    await sync.scan();
    expect(await checkRow(lost.id)).toBeNull();

    await new Promise((r) => setTimeout(r, STALE_REGISTERED_MS + 100));
    await sync.scan();
    await waitFor(async () => (await statusOf(lost.id)) === SUCCESSFUL, 10000, 'status sync to settle the lost deposit');
    expect((await eventsOf(lost.id)).at(-1)).toMatchObject({ kind: 'status_change', fromStatus: REGISTERED, toStatus: SUCCESSFUL, source: 'status_check' });
    // Payouts have their own sweep (a REGISTERED payout is one waiting to be submitted): status sync leaves them alone.
    expect(await checkRow(payout.id)).toBeNull();
    expect(await statusOf(payout.id)).toBe(REGISTERED);

    // A refund whose answer was lost the same way: settled by the status check, and the deposit's refunded amount with it.
    const refund = await state.create(
      {
        id: newId('tx'),
        merchantId,
        merchantTxId: newId('tx'),
        userId: 'u1',
        txType: TxType.Refund,
        service: null,
        status: REGISTERED,
        amount: 400n,
        currency: 'EUR',
        country: 'DE',
        provider: TEST_PROVIDER,
        providerAccount: 'DEFAULT',
        parentId: lost.id,
        routingRuleId: null,
        routingReason: null,
        cardBrand: null,
        cardBin: null,
        cardLast4: null,
        cardExpiry: null,
        details: null,
        notificationUrl: null,
        createdBy: null,
      },
      { source: 'system' },
    );
    testpay().statuses.set(refund.id, SUCCESSFUL);
    await new Promise((r) => setTimeout(r, STALE_REGISTERED_MS + 100));
    await sync.scan();
    await waitFor(async () => (await statusOf(refund.id)) === SUCCESSFUL, 10000, 'status sync to settle the lost refund');
    expect((await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: lost.id })).refundedAmount).toBe(400n);
  });

  it('reports provider balances and transactions against payhub daily, mismatches flagged and listed to viewers', async () => {
    const merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
    const paid = await transactionThrough(state, merchant.id, [REGISTERED, SUCCESSFUL], { provider: TEST_PROVIDER });
    const pending = await transactionThrough(state, merchant.id, [REGISTERED, PROCESSING], { provider: TEST_PROVIDER });
    const provider = testpay();
    provider.balances = [{ currency: 'EUR', amount: 1000n }];
    provider.reported = [
      { txId: paid.id, providerTxId: null, status: SUCCESSFUL, amount: 1000n, currency: 'EUR' },
      { txId: pending.id, providerTxId: null, status: TxStatus.FAILED, amount: 1000n, currency: 'EUR' },
      { txId: null, providerTxId: 'tp-unknown-1', status: SUCCESSFUL, amount: 700n, currency: 'EUR' },
    ];
    const today = new Date().toISOString().slice(0, 10);
    await scheduler.dailyReport(new Date(Date.now() + 24 * 3600 * 1000));

    const viewer = await t.newStaff(['viewer']);
    const url = `/backoffice/reconciliation/reports?merchantId=${merchant.id}&provider=${TEST_PROVIDER}`;
    const res = await waitFor(
      async () => {
        const r = await viewer.bo.get(url);
        return r.body?.data?.length ? r : null;
      },
      10000,
      'the report',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ hasMore: false, nextCursor: null });
    expect(res.body.data[0]).toMatchObject({
      date: today,
      merchantId: merchant.id,
      provider: TEST_PROVIDER,
      account: 'DEFAULT',
      status: 'mismatch',
      mismatchFlagged: true,
      providerTxCount: 3,
      payhubTxCount: 2,
      mismatchCount: 2,
      balances: [{ currency: 'EUR', provider: '1000', payhub: '1000', difference: '0' }],
    });
    expect(res.body.data[0].mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'status_mismatch', txId: pending.id, payhubStatus: PROCESSING, providerStatus: 'FAILED' }),
        expect.objectContaining({ kind: 'missing_in_payhub', providerTxId: 'tp-unknown-1', amount: '700' }),
      ]),
    );
    const flagged = await viewer.bo.get(`/backoffice/reconciliation/reports?merchantId=${merchant.id}&status=mismatch&date=${today}`);
    expect(flagged.body.data.map((r: { id: string }) => r.id)).toContain(res.body.data[0].id);
    expect((await t.http.get(url)).status).toBe(401);
    expect((await viewer.bo.get('/backoffice/reconciliation/reports?date=yesterday')).status).toBe(400);
  });
});
