import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QUEUES } from '@payhub/common';
import { PayoutQueue, PayoutSweepService, SubmitPayoutUseCase } from '@payhub/payments';
import { TransactionEntity, TransactionStateService, TxStatus } from '@payhub/transactions';
import { startPayoutWorker } from './support/payout-worker';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { TEST_PROVIDER_C, TestPayProvider } from './support/test-provider';

type Staff = Awaited<ReturnType<TestApp['newStaff']>>;

const withdrawal = (overrides: Record<string, unknown> = {}) =>
  deposit({
    txType: 'BankLocalWithdrawal',
    card: undefined,
    amount: 150000,
    bank: { name: 'HDFC', accountNumber: '1234567890', accountName: 'John Doe', clearingNumber: 'HDFC0000001' },
    ...overrides,
  });

describe('back office: manual withdrawals, approval, decline, payouts queue', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let merchant: TestMerchant;
  let operator: Staff;
  let approver: Staff;
  let approver2: Staff;

  beforeAll(async () => {
    t = await TestApp.start();
    worker = await startPayoutWorker(t.config);
    merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
    [operator, approver, approver2] = await Promise.all([t.newStaff(['operator']), t.newStaff(['approver']), t.newStaff(['approver'])]);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  const workerProvider = (id = 'testpay') => (id === 'testpay' ? worker.get(TestPayProvider) : worker.get<TestPayProvider>('TESTPAY_C'));
  const sent = (txId: string, provider?: string) => workerProvider(provider).operations.filter((o) => o.txId === txId);
  const stored = (id: string) => t.db.getRepository(TransactionEntity).findOneByOrFail({ id });
  const queue = () => t.app.get<Queue>(getQueueToken(QUEUES.payouts));
  async function settled(txId: string, from: TxStatus = TxStatus.REGISTERED): Promise<TransactionEntity> {
    for (let i = 0; i < 100; i++) {
      const tx = await stored(txId);
      if (tx.status !== from) return tx;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${txId} stayed ${from}`);
  }
  const manual = (staff: Staff, overrides: Record<string, unknown> = {}) =>
    staff.bo.post('/backoffice/withdrawals', { merchantId: merchant.id, ...withdrawal(overrides) });

  it("creates a withdrawal on a customer's behalf, WAITING_APPROVAL, recording its creator", async () => {
    const res = await manual(operator);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'WAITING_APPROVAL', txType: 'BankLocalWithdrawal', provider: 'testpay', amount: 150000 });
    const tx = await stored(res.body.id);
    expect(tx.createdBy).toBe(operator.id);
    expect(await queue().getJob(res.body.id)).toBeNull();
  });

  it('an approval whose job was lost (Redis down after the commit) is picked up by the sweep and paid once', async () => {
    const created = await manual(operator);
    // The approval's own transition, without the enqueue that a Redis outage would have lost.
    await t.app.get(TransactionStateService).transition(created.body.id, TxStatus.REGISTERED, { source: 'backoffice', actor: approver.id, reason: 'approved' });
    expect(await queue().getJob(created.body.id)).toBeNull();

    const sweeper = worker.get(PayoutSweepService);
    const [first, second] = await Promise.all([sweeper.sweep(0), sweeper.sweep(0)]);
    expect([...first, ...second]).toContain(created.body.id);
    const done = await settled(created.body.id);
    expect(done.status).not.toBe(TxStatus.REGISTERED);
    expect(await sweeper.sweep(0)).not.toContain(created.body.id);
    expect(sent(created.body.id).filter((o) => o.op === 'withdraw')).toHaveLength(1);
  });

  it('validates exactly like the merchant API', async () => {
    const noBank = await manual(operator, { bank: undefined });
    expect(noBank.status).toBe(400);
    expect(noBank.body.error.details).toEqual([{ field: 'bank', issue: expect.stringContaining('required') }]);
    const bad = await operator.bo.post('/backoffice/withdrawals', {
      ...withdrawal({ txType: 'CreditcardDeposit', amount: 1.5, extra: 1 }),
      merchantId: 'nope',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['txType', 'amount', 'extra', 'merchantId']));
    const unknown = await operator.bo.post('/backoffice/withdrawals', { merchantId: 'mer_00000000000000000000000000', ...withdrawal() });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('MERCHANT_NOT_FOUND');
  });

  it('four eyes: the creator cannot approve, another approver can', async () => {
    const both = await t.newStaff(['operator', 'approver']);
    const created = (await manual(both)).body;
    const own = await both.bo.post(`/backoffice/withdrawals/${created.id}/approve`);
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('FOUR_EYES_VIOLATION');
    expect((await stored(created.id)).status).toBe('WAITING_APPROVAL');
    const other = await approver.bo.post(`/backoffice/withdrawals/${created.id}/approve`);
    expect(other.status).toBe(200);
    expect(other.body.status).toBe('REGISTERED');
    expect((await settled(created.id)).status).toBe('PROCESSING');
  });

  it('parallel approvals from two approvers and double clicks submit exactly once', async () => {
    const created = (await merchant.api.post('/v1/withdrawals', withdrawal())).body;
    const clicks = Array.from({ length: 8 }, (_, i) => (i % 2 ? approver : approver2).bo.post(`/backoffice/withdrawals/${created.id}/approve`));
    const results = await Promise.all(clicks);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(7).fill('TRANSACTION_STATE_CONFLICT'));

    const tx = await settled(created.id);
    expect(tx.status).toBe('PROCESSING');
    expect(tx.providerTxId).toBe(`testpay-${created.id}`);
    // Enqueued again (a sweeper, a retry) and run again (a stalled job): still one submission.
    await t.app.get(PayoutQueue).enqueue(created.id);
    expect(await worker.get(SubmitPayoutUseCase).submit(created.id)).toBe('skipped');
    await new Promise((r) => setTimeout(r, 200));
    expect(sent(created.id).map((o) => o.op)).toEqual(['withdraw']);
    expect((await queue().getJob(created.id))?.data).toEqual({ txId: created.id });
  });

  it('a provider timeout leaves the payout INCONSISTENT and it is never sent again', async () => {
    const created = (await merchant.api.post('/v1/withdrawals', withdrawal({ amount: 150002 }))).body;
    await approver.bo.post(`/backoffice/withdrawals/${created.id}/approve`);
    const tx = await settled(created.id);
    expect(tx.status).toBe('INCONSISTENT');
    expect(tx.failure).toMatchObject({ code: 'PROVIDER_ERROR' });
    expect(await worker.get(SubmitPayoutUseCase).submit(created.id)).toBe('skipped');
    expect(sent(created.id).map((o) => o.op)).toEqual(['withdraw']);
  });

  it('a submission that started but never finished is not repeated: INCONSISTENT instead', async () => {
    const created = (await merchant.api.post('/v1/withdrawals', withdrawal())).body;
    const state = t.app.get(TransactionStateService);
    // What a worker that died mid-call leaves behind: approved, submission mark, no outcome.
    await state.transition(created.id, TxStatus.REGISTERED, { source: 'backoffice', actor: approver.id });
    await state.transition(
      created.id,
      TxStatus.REGISTERED,
      { source: 'system', actor: 'payouts' },
      { providerData: { payoutSubmission: { startedAt: new Date().toISOString() } } },
    );
    expect(await worker.get(SubmitPayoutUseCase).submit(created.id)).toBe('unknown_previous_attempt');
    expect((await stored(created.id)).status).toBe('INCONSISTENT');
    expect(sent(created.id)).toEqual([]);
  });

  it('a provider with its own confirmation gets withdraw then approvePayout', async () => {
    const m = await t.newMerchant();
    await t.routeAllTo(m.id, undefined, [TEST_PROVIDER_C]);
    const created = (await m.api.post('/v1/withdrawals', withdrawal())).body;
    await approver.bo.post(`/backoffice/withdrawals/${created.id}/approve`);
    // withdraw registers it at the provider (PROCESSING, visible for a moment), the confirmation settles it.
    let tx = await settled(created.id);
    if (tx.status === TxStatus.PROCESSING) tx = await settled(created.id, TxStatus.PROCESSING);
    expect(tx.status).toBe('SUCCESSFUL');
    expect(sent(created.id, TEST_PROVIDER_C).map((o) => o.op)).toEqual(['withdraw', 'approvePayout']);
  });

  it('decline needs a reason, ends CANCELLED with DECLINED_BY_STAFF and is never submitted', async () => {
    const created = (await manual(operator)).body;
    const noReason = await approver.bo.post(`/backoffice/withdrawals/${created.id}/decline`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details[0].field).toBe('reason');
    const res = await approver.bo.post(`/backoffice/withdrawals/${created.id}/decline`, { reason: 'account name does not match' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'CANCELLED', failure: { code: 'DECLINED_BY_STAFF', reason: 'account name does not match' } });
    const late = await approver2.bo.post(`/backoffice/withdrawals/${created.id}/approve`);
    expect(late.status).toBe(409);
    expect(await queue().getJob(created.id)).toBeNull();
    expect(sent(created.id)).toEqual([]);
  });

  it('approve/decline only withdrawals', async () => {
    const dep = (await merchant.api.post('/v1/deposits', deposit())).body;
    const res = await approver.bo.post(`/backoffice/withdrawals/${dep.id}/approve`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('TRANSACTION_NOT_ELIGIBLE');
    expect((await approver.bo.post('/backoffice/withdrawals/tx_00000000000000000000000000/decline', { reason: 'nope nope' })).status).toBe(404);
  });

  it("auto-approves merchant payouts below the merchant's limit; staff-created ones always wait", async () => {
    const admin = await t.newStaff(['admin']);
    const m = await t.newMerchant();
    await t.routeAllTo(m.id);
    expect((await admin.bo.get(`/backoffice/merchants/${m.id}/payout-auto-approve`)).body).toEqual({ rules: [] });
    const bad = await admin.bo.put(`/backoffice/merchants/${m.id}/payout-auto-approve`, { rules: [{ currency: 'XXX', below: 0 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['rules[0].currency', 'rules[0].below']));
    // Allowing auto-approval is a proposal; it is in force once a second admin confirms it.
    const put = await admin.bo.put(`/backoffice/merchants/${m.id}/payout-auto-approve`, { rules: [{ currency: 'UAH', below: 100000 }] });
    expect(put.status).toBe(202);
    expect(put.body).toMatchObject({
      kind: 'payout_auto_approve',
      status: 'pending',
      before: { rules: [] },
      after: { rules: [{ currency: 'UAH', below: 100000 }] },
    });
    expect((await admin.bo.get(`/backoffice/merchants/${m.id}/payout-auto-approve`)).body).toEqual({ rules: [] });
    await t.confirmChange(put);
    expect((await admin.bo.get(`/backoffice/merchants/${m.id}/payout-auto-approve`)).body).toEqual({ rules: [{ currency: 'UAH', below: 100000 }] });

    const small = await m.api.post('/v1/withdrawals', withdrawal({ amount: 50000 }));
    expect(small.body.status).toBe('REGISTERED');
    expect((await settled(small.body.id)).status).toBe('PROCESSING');
    const large = await m.api.post('/v1/withdrawals', withdrawal({ amount: 100000 }));
    expect(large.body.status).toBe('WAITING_APPROVAL');
    const otherCurrency = await m.api.post('/v1/withdrawals', withdrawal({ amount: 500, currency: 'EUR' }));
    expect(otherCurrency.body.status).toBe('WAITING_APPROVAL');
    const byStaff = await operator.bo.post('/backoffice/withdrawals', { merchantId: m.id, ...withdrawal({ amount: 50000 }) });
    expect(byStaff.body.status).toBe('WAITING_APPROVAL');
  });

  it('card payouts: refused (422, nothing stored) unless auto-approve covers them; staff cannot create one; covered ones are sent inline once', async () => {
    const admin = await t.newStaff(['admin']);
    const m = await t.newMerchant();
    await t.routeAllTo(m.id);
    const cardPayout = (overrides: Record<string, unknown> = {}) =>
      deposit({
        txType: 'CreditcardWithdrawal',
        currency: 'UAH',
        amount: 50000,
        card: { number: '5555555555554444', expiryMonth: '12', expiryYear: '2030' },
        ...overrides,
      });
    const count = (merchantTxId: string) => t.db.getRepository(TransactionEntity).countBy({ merchantTxId });

    const uncovered = cardPayout();
    const refused = await m.api.post('/v1/withdrawals', uncovered);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('OPERATION_NOT_SUPPORTED');
    expect(await count(uncovered.merchantTxId as string)).toBe(0);

    const proposal = await admin.bo.put(`/backoffice/merchants/${m.id}/payout-auto-approve`, { rules: [{ currency: 'UAH', below: 100000 }] });
    // Only a confirmed rule covers a card payout: while it waits for a second admin, still 422 and nothing stored.
    const early = cardPayout();
    expect((await m.api.post('/v1/withdrawals', early)).status).toBe(422);
    expect(await count(early.merchantTxId as string)).toBe(0);
    await t.confirmChange(proposal);
    const byStaff = cardPayout();
    expect((await operator.bo.post('/backoffice/withdrawals', { merchantId: m.id, ...byStaff })).status).toBe(422);
    expect(await count(byStaff.merchantTxId as string)).toBe(0);

    const sent = await m.api.post('/v1/withdrawals', cardPayout());
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ status: 'PROCESSING', card: { brand: 'MASTERCARD', last4: '4444' } });
    expect(t.testProvider.operations.filter((o) => o.op === 'withdraw' && o.txId === sent.body.id)).toHaveLength(1);
  });
});
