import { TransactionEntity, TransactionEventEntity } from '@payhub/transactions';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { signTestpay, TEST_PROVIDER_B, TEST_PROVIDER_C } from './support/test-provider';

type Staff = Awaited<ReturnType<TestApp['newStaff']>>;

describe('back office: transaction search, detail, refunds, reversals, force status', () => {
  let t: TestApp;
  let merchant: TestMerchant;
  let operator: Staff;
  let viewer: Staff;
  let admin: Staff;

  beforeAll(async () => {
    t = await TestApp.start();
    merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
    [operator, viewer, admin] = await Promise.all([t.newStaff(['operator']), t.newStaff(['viewer']), t.newStaff(['admin'])]);
  });
  afterAll(() => t.close());

  /** Amount tail 04 makes the test provider answer SUCCESSFUL at once. */
  const successfulDeposit = async (m: TestMerchant = merchant, amount = 150004, extra: Record<string, unknown> = {}) => {
    const res = await m.api.post('/v1/deposits', deposit({ amount, ...extra }));
    expect(res.body.status).toBe('SUCCESSFUL');
    return res.body as { id: string; amount: number };
  };
  const stored = (id: string) => t.db.getRepository(TransactionEntity).findOneByOrFail({ id });

  describe('search', () => {
    it('filters by every field and pages newest first without gaps', async () => {
      const m = await t.newMerchant();
      await t.routeAllTo(m.id);
      const ok = await successfulDeposit(m, 200004, { userId: 'user-search-1', merchantTxId: 'search-ok' });
      const pending = (await m.api.post('/v1/deposits', deposit({ amount: 300000, userId: 'user-search-2' }))).body;
      const failed = (await m.api.post('/v1/deposits', deposit({ amount: 400001 }))).body;

      const all = await viewer.bo.get(`/backoffice/transactions?merchantId=${m.id}`);
      expect(all.status).toBe(200);
      expect(all.body.data.map((x: { id: string }) => x.id)).toEqual([failed.id, pending.id, ok.id]);
      expect(all.body).toMatchObject({ hasMore: false, nextCursor: null });

      const ids = async (query: string) =>
        (await viewer.bo.get(`/backoffice/transactions?merchantId=${m.id}&${query}`)).body.data.map((x: { id: string }) => x.id);
      expect(await ids('status=SUCCESSFUL')).toEqual([ok.id]);
      expect(await ids('status=FAILED&txType=CreditcardDeposit')).toEqual([failed.id]);
      expect(await ids('txType=Refund')).toEqual([]);
      expect(await ids('provider=testpay')).toHaveLength(3);
      expect(await ids('provider=testpay-b')).toEqual([]);
      expect(await ids('merchantTxId=search-ok')).toEqual([ok.id]);
      expect(await ids('userId=user-search-2')).toEqual([pending.id]);
      expect(await ids('amountMin=250000&amountMax=400000')).toEqual([pending.id]);
      const created = (await stored(pending.id)).createdAt;
      expect(await ids(`createdFrom=${created.toISOString()}&createdTo=${new Date(created.getTime() + 1).toISOString()}`)).toEqual([pending.id]);
      expect(await ids('createdTo=2000-01-01T00:00:00Z')).toEqual([]);

      const page1 = await viewer.bo.get(`/backoffice/transactions?merchantId=${m.id}&limit=2`);
      expect(page1.body).toMatchObject({ hasMore: true, nextCursor: pending.id });
      const page2 = await viewer.bo.get(`/backoffice/transactions?merchantId=${m.id}&limit=2&startingAfter=${page1.body.nextCursor}`);
      expect(page2.body).toMatchObject({ data: [expect.objectContaining({ id: ok.id })], hasMore: false, nextCursor: null });
    });

    it('refuses bad filters naming the fields', async () => {
      const res = await viewer.bo.get('/backoffice/transactions?status=DONE&amountMin=1.5&createdFrom=yesterday&limit=0&merchantId=x');
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['status', 'amountMin', 'createdFrom', 'limit', 'merchantId']),
      );
    });
  });

  describe('detail', () => {
    it('shows the timeline with redacted provider exchanges, refunds, callbacks accepted and rejected, conflicts', async () => {
      const parent = await successfulDeposit();
      const refund = await operator.bo.post(`/backoffice/transactions/${parent.id}/refunds`, { amount: 10000, reason: 'customer asked' });
      expect(refund.status).toBe(201);

      const cb = (body: Record<string, unknown>, key = 'k-123456') => {
        const raw = JSON.stringify(body);
        return t.http.post(`/callbacks/testpay/${parent.id}`, raw, { 'content-type': 'application/json', 'x-testpay-signature': signTestpay(raw, key) });
      };
      expect((await cb({ txId: parent.id, eventId: 'late-1', status: 'FAILED' })).status).toBe(200);
      expect((await cb({ txId: parent.id, eventId: 'forged-1', status: 'FAILED' }, 'wrong-key')).status).toBe(403);

      const res = await viewer.bo.get(`/backoffice/transactions/${parent.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: parent.id,
        merchantId: merchant.id,
        status: 'SUCCESSFUL',
        refundedAmount: 10000,
        providerAccount: 'DEFAULT',
        routing: { ruleId: expect.stringMatching(/^rr_/), reason: expect.stringContaining('everything') },
        conflict: { reportedStatus: 'FAILED', resolved: false },
        children: [expect.objectContaining({ id: refund.body.id, txType: 'Refund', status: 'SUCCESSFUL', amount: 10000, parentId: parent.id })],
        webhookAttempts: expect.any(Array),
      });
      expect(res.body.events.map((e: { kind: string; from: string | null; to: string | null }) => [e.kind, e.from, e.to])).toEqual([
        ['status_change', null, 'REGISTERED'],
        ['status_change', 'REGISTERED', 'SUCCESSFUL'],
        ['refunded', 'SUCCESSFUL', 'SUCCESSFUL'],
        ['conflict', 'SUCCESSFUL', 'FAILED'],
      ]);
      expect(res.body.events[1]).toMatchObject({ source: 'api', data: { raw: { request: { amount: '150004', account: 'DEFAULT' } } }, at: expect.any(String) });
      expect(res.body.callbacks.map((c: { state: string }) => c.state)).toEqual(['applied', 'rejected']);
      expect(res.body.callbacks[0].body).toContain('late-1');

      // The refund's raw exchange carried the account's apiKey: stored, but never shown.
      const child = await viewer.bo.get(`/backoffice/transactions/${refund.body.id}`);
      const exchange = child.body.events.find((e: { to: string }) => e.to === 'SUCCESSFUL');
      expect(exchange.data.raw.request).toMatchObject({ op: 'refund', amount: '10000', apiKey: '[redacted]' });
      expect(JSON.stringify(child.body)).not.toContain('k-123456');
      expect(JSON.stringify(res.body)).not.toContain('4111111111111111');
    });

    it('404 for an unknown transaction', async () => {
      const res = await viewer.bo.get('/backoffice/transactions/tx_00000000000000000000000000');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('TRANSACTION_NOT_FOUND');
    });
  });

  describe('refunds', () => {
    it('refunds partially, then the rest when no amount is given, and refuses more', async () => {
      const parent = await successfulDeposit();
      const part = await operator.bo.post(`/backoffice/transactions/${parent.id}/refunds`, { amount: 50000 });
      expect(part.status).toBe(201);
      expect(part.body).toMatchObject({ txType: 'Refund', status: 'SUCCESSFUL', amount: 50000, parentId: parent.id, currency: 'UAH', provider: 'testpay' });
      expect((await stored(parent.id)).refundedAmount).toBe(50000n);

      const rest = await operator.bo.post(`/backoffice/transactions/${parent.id}/refunds`, {});
      expect(rest.status).toBe(201);
      expect(rest.body).toMatchObject({ status: 'SUCCESSFUL', amount: 100004 });
      expect((await stored(parent.id)).refundedAmount).toBe(150004n);

      const more = await operator.bo.post(`/backoffice/transactions/${parent.id}/refunds`, { amount: 1 });
      expect(more.status).toBe(422);
      expect(more.body.error).toMatchObject({
        code: 'REFUND_EXCEEDS_AMOUNT',
        details: expect.arrayContaining([{ field: 'refundable', issue: 'is 0', value: 0 }]),
      });
      const view = await merchant.api.get(`/v1/transactions/${parent.id}`);
      expect(view.body).toMatchObject({ status: 'SUCCESSFUL', refundedAmount: 150004 });
    });

    it('never lets 20 parallel partial refunds exceed the deposit', async () => {
      const parent = await successfulDeposit(merchant, 150004);
      // Each 10007 (slow provider answer); at most 14 fit into 150004.
      const requests = Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? operator.bo.post(`/backoffice/transactions/${parent.id}/refunds`, { amount: 10007 })
          : merchant.api.post(`/v1/transactions/${parent.id}/refunds`, { amount: 10007, merchantRefundId: `par-${parent.id}-${i}` }),
      );
      const results = await Promise.all(requests);
      const created = results.filter((r) => r.status === 201);
      const refused = results.filter((r) => r.status !== 201);
      expect(created).toHaveLength(14);
      expect(refused.map((r) => [r.status, r.body.error.code])).toEqual(Array(6).fill([422, 'REFUND_EXCEEDS_AMOUNT']));
      expect(created.every((r) => r.body.status === 'SUCCESSFUL')).toBe(true);

      const after = await stored(parent.id);
      expect(after.refundedAmount).toBe(14n * 10007n);
      expect(after.refundedAmount <= after.amount).toBe(true);
      const children = await t.db.getRepository(TransactionEntity).findBy({ parentId: parent.id });
      expect(children.reduce((sum, c) => sum + c.amount, 0n)).toBe(after.refundedAmount);
    });

    it('only SUCCESSFUL deposits can be refunded', async () => {
      const pending = (await merchant.api.post('/v1/deposits', deposit({ amount: 150000 }))).body;
      const res = await operator.bo.post(`/backoffice/transactions/${pending.id}/refunds`, {});
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({
        code: 'TRANSACTION_NOT_ELIGIBLE',
        details: expect.arrayContaining([{ field: 'status', issue: 'is WAITING_INPUT', value: 'WAITING_INPUT' }]),
      });
      const parent = await successfulDeposit();
      const child = (await operator.bo.post(`/backoffice/transactions/${parent.id}/refunds`, { amount: 100 })).body;
      const refundOfRefund = await operator.bo.post(`/backoffice/transactions/${child.id}/refunds`, {});
      expect(refundOfRefund.status).toBe(422);
      expect(await t.db.getRepository(TransactionEntity).countBy({ parentId: pending.id })).toBe(0);
    });

    it('a provider without refunds → 422 OPERATION_NOT_SUPPORTED, nothing created', async () => {
      const m = await t.newMerchant();
      await t.routeAllTo(m.id, undefined, [TEST_PROVIDER_B]);
      const parent = await successfulDeposit(m);
      const res = await operator.bo.post(`/backoffice/transactions/${parent.id}/refunds`, { amount: 100 });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({
        code: 'OPERATION_NOT_SUPPORTED',
        details: expect.arrayContaining([{ field: 'provider', issue: `is ${TEST_PROVIDER_B}`, value: TEST_PROVIDER_B }]),
      });
      expect(await t.db.getRepository(TransactionEntity).countBy({ parentId: parent.id })).toBe(0);
    });

    it('a provider timeout leaves the refund INCONSISTENT and its amount reserved; a declined refund frees it', async () => {
      const parent = await successfulDeposit(merchant, 100004);
      const timedOut = await operator.bo.post(`/backoffice/transactions/${parent.id}/refunds`, { amount: 60002 });
      expect(timedOut.status).toBe(201);
      expect(timedOut.body).toMatchObject({ status: 'INCONSISTENT', failure: { code: 'PROVIDER_ERROR' } });
      expect((await stored(parent.id)).refundedAmount).toBe(0n);

      const blocked = await operator.bo.post(`/backoffice/transactions/${parent.id}/refunds`, { amount: 50000 });
      expect(blocked.status).toBe(422);
      expect(blocked.body.error).toMatchObject({
        code: 'REFUND_EXCEEDS_AMOUNT',
        details: expect.arrayContaining([{ field: 'refundable', issue: 'is 40002', value: 40002 }]),
      });

      const declined = await operator.bo.post(`/backoffice/transactions/${parent.id}/refunds`, { amount: 40001 });
      expect(declined.body).toMatchObject({ status: 'FAILED', failure: { code: 'DECLINED_BY_ISSUER' } });
      const rest = await operator.bo.post(`/backoffice/transactions/${parent.id}/refunds`, { amount: 40000 });
      expect(rest.body).toMatchObject({ status: 'SUCCESSFUL', amount: 40000 });
      expect((await stored(parent.id)).refundedAmount).toBe(40000n);

      // Staff settle the unknown one: forced SUCCESSFUL, it lands on the parent in the same DB transaction.
      const forced = await admin.bo.post(`/backoffice/transactions/${timedOut.body.id}/force-status`, {
        status: 'SUCCESSFUL',
        reason: 'provider portal shows the refund paid',
      });
      expect(forced.status).toBe(200);
      expect((await stored(parent.id)).refundedAmount).toBe(100002n);
    });

    it('merchant API: own deposits only, Idempotency-Key replays, merchantRefundId is unique', async () => {
      const parent = await successfulDeposit();
      const body = { amount: 2000, merchantRefundId: `rf-${parent.id}` };
      const first = await merchant.api.post(`/v1/transactions/${parent.id}/refunds`, body, { 'idempotency-key': `k-${parent.id}` });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ txType: 'Refund', merchantTxId: body.merchantRefundId, status: 'SUCCESSFUL', parentId: parent.id });
      const replay = await merchant.api.post(`/v1/transactions/${parent.id}/refunds`, body, { 'idempotency-key': `k-${parent.id}` });
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(first.body);
      const again = await merchant.api.post(`/v1/transactions/${parent.id}/refunds`, body);
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({
        code: 'DUPLICATE_MERCHANT_TX_ID',
        details: expect.arrayContaining([{ field: 'transactionId', issue: `is ${first.body.id}`, value: first.body.id }]),
      });
      expect((await stored(parent.id)).refundedAmount).toBe(2000n);

      const other = await t.newMerchant();
      const hidden = await other.api.post(`/v1/transactions/${parent.id}/refunds`, { merchantRefundId: 'x-1' });
      expect(hidden.status).toBe(404);
      const invalid = await merchant.api.post(`/v1/transactions/${parent.id}/refunds`, { amount: -5, merchantRefundId: '' });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['amount', 'merchantRefundId']));
    });
  });

  describe('reversal', () => {
    it('reverses the whole deposit where the provider supports it; refused once refunded', async () => {
      const m = await t.newMerchant();
      await t.routeAllTo(m.id, undefined, [TEST_PROVIDER_C]);
      const parent = await successfulDeposit(m);
      const res = await operator.bo.post(`/backoffice/transactions/${parent.id}/reversal`, { reason: 'duplicate charge' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ txType: 'Reversal', status: 'SUCCESSFUL', amount: 150004, parentId: parent.id, provider: TEST_PROVIDER_C });
      expect((await stored(parent.id)).refundedAmount).toBe(150004n);

      const refunded = await successfulDeposit(m);
      await operator.bo.post(`/backoffice/transactions/${refunded.id}/refunds`, { amount: 100 });
      const late = await operator.bo.post(`/backoffice/transactions/${refunded.id}/reversal`, {});
      expect(late.status).toBe(422);
      expect(late.body.error.code).toBe('TRANSACTION_NOT_ELIGIBLE');
    });

    it('a provider without reversals → 422 OPERATION_NOT_SUPPORTED', async () => {
      const parent = await successfulDeposit();
      const res = await operator.bo.post(`/backoffice/transactions/${parent.id}/reversal`, {});
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'OPERATION_NOT_SUPPORTED', message: expect.stringContaining('reversals') });
    });
  });

  describe('force status', () => {
    it('settles an INCONSISTENT transaction with a reason, outside the transition table', async () => {
      const tx = (await merchant.api.post('/v1/deposits', deposit({ amount: 150002 }))).body;
      expect(tx.status).toBe('INCONSISTENT');
      const noReason = await admin.bo.post(`/backoffice/transactions/${tx.id}/force-status`, { status: 'FAILED' });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.details[0].field).toBe('reason');
      const badStatus = await admin.bo.post(`/backoffice/transactions/${tx.id}/force-status`, { status: 'REGISTERED', reason: 'because' });
      expect(badStatus.status).toBe(400);

      const res = await admin.bo.post(`/backoffice/transactions/${tx.id}/force-status`, { status: 'FAILED', reason: 'provider confirms it never arrived' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('FAILED');
      const events = await t.db.getRepository(TransactionEventEntity).findBy({ transactionId: tx.id, kind: 'forced' });
      expect(events).toEqual([
        expect.objectContaining({
          fromStatus: 'INCONSISTENT',
          toStatus: 'FAILED',
          source: 'backoffice',
          actor: admin.id,
          reason: 'provider confirms it never arrived',
        }),
      ]);

      const again = await admin.bo.post(`/backoffice/transactions/${tx.id}/force-status`, { status: 'SUCCESSFUL', reason: 'changed my mind' });
      expect(again.status).toBe(422);
      expect(again.body.error.code).toBe('TRANSACTION_NOT_ELIGIBLE');
      const cancelled = await admin.bo.post(`/backoffice/transactions/${tx.id}/force-status`, { status: 'CANCELLED', reason: 'not needed any more' });
      expect(cancelled.status).toBe(422);
      // FAILED goes back to INCONSISTENT (then on to SUCCESSFUL); a CANCELLED one never does.
      const reopened = await admin.bo.post(`/backoffice/transactions/${tx.id}/force-status`, {
        status: 'INCONSISTENT',
        reason: 'provider found the money after all',
      });
      expect(reopened.status).toBe(200);
      const settled = await admin.bo.post(`/backoffice/transactions/${tx.id}/force-status`, { status: 'SUCCESSFUL', reason: 'provider portal shows it paid' });
      expect(settled.status).toBe(200);
      expect(settled.body.status).toBe('SUCCESSFUL');
    });

    it('resolves a conflict', async () => {
      const parent = await successfulDeposit();
      const raw = JSON.stringify({ txId: parent.id, eventId: `c-${parent.id}`, status: 'FAILED' });
      await t.http.post(`/callbacks/testpay/${parent.id}`, raw, { 'content-type': 'application/json', 'x-testpay-signature': signTestpay(raw, 'k-123456') });
      expect((await stored(parent.id)).conflict).toMatchObject({ reportedStatus: 'FAILED', resolved: false });
      // SUCCESSFUL and FAILED change into each other only through INCONSISTENT (as PaymentIQ has it).
      const direct = await admin.bo.post(`/backoffice/transactions/${parent.id}/force-status`, {
        status: 'FAILED',
        reason: 'chargeback confirmed by the provider',
      });
      expect(direct.status).toBe(422);
      expect(direct.body.error).toMatchObject({ code: 'TRANSACTION_NOT_ELIGIBLE', message: expect.stringContaining('only through INCONSISTENT') });
      expect((await stored(parent.id)).status).toBe('SUCCESSFUL');
      const review = await admin.bo.post(`/backoffice/transactions/${parent.id}/force-status`, {
        status: 'INCONSISTENT',
        reason: 'provider reports a chargeback',
      });
      expect(review.status).toBe(200);
      expect(review.body.status).toBe('INCONSISTENT');
      const res = await admin.bo.post(`/backoffice/transactions/${parent.id}/force-status`, {
        status: 'FAILED',
        reason: 'chargeback confirmed by the provider',
      });
      expect(res.status).toBe(200);
      const after = await stored(parent.id);
      expect(after.status).toBe('FAILED');
      expect(after.conflict).toMatchObject({ resolved: true });
    });
  });
});
