import { CallbackInboxEntity } from '@payhub/payments';
import { OutboxEntity, TransactionEntity, TransactionEventEntity } from '@payhub/transactions';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { signTestpay } from './support/test-provider';

describe('provider callbacks: inbox, verification, dedup, state machine', () => {
  let t: TestApp;
  let merchant: TestMerchant;

  beforeAll(async () => {
    t = await TestApp.start();
    merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
  });
  afterAll(() => t.close());

  const send = (payload: Record<string, unknown>, key = 'k-123456', path = '/callbacks/testpay') => {
    const raw = JSON.stringify(payload);
    return t.http.post(path, raw, { 'content-type': 'application/json', 'x-testpay-signature': signTestpay(raw, key) });
  };
  const inbox = (txId: string) => t.db.getRepository(CallbackInboxEntity).find({ where: { transactionId: txId }, order: { receivedAt: 'ASC' } });

  it('applies a signed callback and answers as the provider expects', async () => {
    const tx = (await merchant.api.post('/v1/deposits', deposit())).body;
    const res = await send({ txId: tx.id, eventId: 'e-1', status: 'SUCCESSFUL' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('OK');
    expect((await merchant.api.get(`/v1/transactions/${tx.id}`)).body.status).toBe('SUCCESSFUL');
    const rows = await inbox(tx.id);
    expect(rows.map((r) => r.state)).toEqual(['applied']);
    expect(rows[0].rawBody).toContain('"eventId":"e-1"');
  });

  it("a callback that lands while the provider's answer is still in flight wins; the late answer is kept, never applied", async () => {
    const before = t.testProvider.calls.length;
    // Amount ending 05: the adapter answers WAITING_INPUT after 300 ms.
    const pending = merchant.api.post('/v1/deposits', deposit({ amount: 150005 }));
    let txId: string | undefined;
    for (let i = 0; i < 100 && !txId; i++) {
      txId = t.testProvider.calls.slice(before).find((c) => c.request.amount === 150005n)?.request.txId;
      if (!txId) await new Promise((r) => setTimeout(r, 10));
    }
    expect(txId).toBeDefined();
    expect((await send({ txId, eventId: 'e-race', status: 'SUCCESSFUL' })).status).toBe(200);

    const res = await pending;
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: txId, status: 'SUCCESSFUL', nextAction: null });
    const events = await t.db.getRepository(TransactionEventEntity).find({ where: { transactionId: txId }, order: { id: 'ASC' } });
    expect(events.map((e) => [e.kind, e.toStatus, e.source])).toEqual([
      ['status_change', 'REGISTERED', 'api'],
      ['status_change', 'SUCCESSFUL', 'callback'],
      ['provider_exchange', 'SUCCESSFUL', 'api'],
    ]);
    const outbox = await t.db.getRepository(OutboxEntity).find({ where: { transactionId: txId }, order: { id: 'ASC' } });
    expect(outbox.map((o) => (o.payload as { transaction: { status: string } }).transaction.status)).toEqual(['REGISTERED', 'SUCCESSFUL']);
    const row = await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: txId });
    expect(row).toMatchObject({ status: 'SUCCESSFUL', version: 1, nextAction: null });
  });

  it('rejects a bad signature, stores it as rejected and changes nothing', async () => {
    const tx = (await merchant.api.post('/v1/deposits', deposit())).body;
    const res = await send({ txId: tx.id, eventId: 'e-2', status: 'SUCCESSFUL' }, 'wrong-key', `/callbacks/testpay/${tx.id}`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CALLBACK_SIGNATURE_INVALID');
    expect((await merchant.api.get(`/v1/transactions/${tx.id}`)).body.status).toBe('WAITING_INPUT');
    expect((await inbox(tx.id)).map((r) => r.state)).toEqual(['rejected']);
  });

  it('applies ten identical callbacks sent in parallel exactly once', async () => {
    const tx = (await merchant.api.post('/v1/deposits', deposit())).body;
    const answers = await Promise.all(Array.from({ length: 10 }, () => send({ txId: tx.id, eventId: 'e-par', status: 'SUCCESSFUL' })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const states = (await inbox(tx.id)).map((r) => r.state).sort();
    expect(states.filter((s) => s === 'applied')).toHaveLength(1);
    expect(states.filter((s) => s === 'duplicate')).toHaveLength(9);
    const changes = await t.db.getRepository(TransactionEventEntity).findBy({ transactionId: tx.id, toStatus: 'SUCCESSFUL' as never });
    expect(changes).toHaveLength(1);
  });

  it('keeps a final status and records a contradicting callback as a conflict', async () => {
    const tx = (await merchant.api.post('/v1/deposits', deposit())).body;
    await send({ txId: tx.id, eventId: 'e-3', status: 'SUCCESSFUL' });
    const res = await send({ txId: tx.id, eventId: 'e-4', status: 'FAILED' });
    expect(res.status).toBe(200);
    const after = await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: tx.id });
    expect(after.status).toBe('SUCCESSFUL');
    expect(after.conflict).toMatchObject({ reportedStatus: 'FAILED', resolved: false });
  });

  it('unknown provider → 404 and malformed callback → 400, nothing applied', async () => {
    expect((await t.http.post('/callbacks/nope', { a: 1 })).status).toBe(404);
    const res = await send({ eventId: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('CALLBACK_INVALID');
  });

  it('a provider settling another amount it defines as normal (allowed by the account): kept as settledAmount, shown to the merchant, and the refund limit', async () => {
    const tx = (await merchant.api.post('/v1/deposits', deposit({ amount: 150000 }))).body;
    expect((await send({ txId: tx.id, eventId: 'e-partial', status: 'SUCCESSFUL', amount: 120000, creditedAmountAllowed: true })).status).toBe(200);
    const read = (await merchant.api.get(`/v1/transactions/${tx.id}`)).body;
    expect(read).toMatchObject({ status: 'SUCCESSFUL', amount: 150000, settledAmount: 120000 });
    const over = await merchant.api.post(`/v1/transactions/${tx.id}/refunds`, { amount: 130000, merchantRefundId: `r-${tx.id}-1` });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({
      code: 'REFUND_EXCEEDS_AMOUNT',
      details: expect.arrayContaining([{ field: 'refundable', issue: 'is 120000', value: 120000 }]),
    });
    const full = await merchant.api.post(`/v1/transactions/${tx.id}/refunds`, { merchantRefundId: `r-${tx.id}-2` });
    expect(full.status).toBe(201);
    expect(full.body.amount).toBe(120000);
  });
});
