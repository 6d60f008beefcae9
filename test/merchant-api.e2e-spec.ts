import { TxStatus } from '@payhub/transactions';
import { TransactionEntity, TransactionEventEntity, OutboxEntity } from '@payhub/transactions';
import { deposit, TestApp, TestMerchant } from './support/test-app';

describe('merchant API over HTTP', () => {
  let t: TestApp;
  let merchant: TestMerchant;

  beforeAll(async () => {
    t = await TestApp.start();
    merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
  });
  afterAll(() => t.close());

  describe('authentication', () => {
    it('answers 401 without an API key', async () => {
      const res = await t.http.post('/v1/deposits', deposit());
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
      expect(res.body.error.requestId).toEqual(expect.any(String));
    });

    it('answers 401 for a wrong API key', async () => {
      const res = await t.http.get('/v1/transactions', { 'x-api-key': 'phk_not-a-real-key-at-all-000000000000' });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    });

    it("lists keys without the key itself; a revoked key is refused at once, the merchant's other keys go on", async () => {
      const m = await t.newMerchant();
      await t.routeAllTo(m.id);
      const admin = await t.newStaff(['admin']);
      const second = (await admin.bo.post(`/backoffice/merchants/${m.id}/api-keys`, { label: 'second' })).body;
      expect((await m.api.post('/v1/deposits', deposit())).status).toBe(201);

      const keys = await admin.bo.get(`/backoffice/merchants/${m.id}/api-keys`);
      expect(keys.body.data.map((k: { label: string }) => k.label)).toEqual(['default', 'second']);
      expect(JSON.stringify(keys.body)).not.toContain(m.apiKey);
      const first = keys.body.data[0];
      expect(first).toEqual({ id: expect.any(String), prefix: m.apiKey.slice(0, 12), label: 'default', createdAt: expect.any(String), revokedAt: null });

      const revoked = await admin.bo.post(`/backoffice/merchants/${m.id}/api-keys/${first.id}/revoke`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      const refused = await m.api.post('/v1/deposits', deposit());
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('UNAUTHENTICATED');
      expect((await t.http.with({ 'x-api-key': second.apiKey }).post('/v1/deposits', deposit())).status).toBe(201);

      // Again: nothing changes, the first revocation time stays.
      expect((await admin.bo.post(`/backoffice/merchants/${m.id}/api-keys/${first.id}/revoke`)).body.revokedAt).toBe(revoked.body.revokedAt);
      const unknown = await admin.bo.post(`/backoffice/merchants/${m.id}/api-keys/key_00000000000000000000000000/revoke`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('API_KEY_NOT_FOUND');
      // Another merchant's key id is not found under this merchant.
      const other = await t.newMerchant();
      const otherKey = (await admin.bo.get(`/backoffice/merchants/${other.id}/api-keys`)).body.data[0];
      expect((await admin.bo.post(`/backoffice/merchants/${m.id}/api-keys/${otherKey.id}/revoke`)).status).toBe(404);
      expect((await other.api.get('/v1/transactions')).status).toBe(200);

      const audit = await admin.bo.get(`/backoffice/audit-log?action=merchant.api_key.revoke&targetId=${m.id}`);
      // Both attempts are staff actions and both are kept, newest first; only the first changed the key.
      expect(audit.body.data).toHaveLength(2);
      expect(audit.body.data[1]).toMatchObject({
        actor: { id: admin.id },
        before: { id: first.id, revokedAt: null },
        after: { id: first.id, revokedAt: revoked.body.revokedAt },
      });
      expect(audit.body.data[0]).toMatchObject({ before: { revokedAt: revoked.body.revokedAt }, after: { revokedAt: revoked.body.revokedAt } });
    });

    it('parallel revocations of one key agree on when it was revoked; an unknown merchant is 404 naming the merchant', async () => {
      const m = await t.newMerchant();
      const admin = await t.newStaff(['admin']);
      const [key] = (await admin.bo.get(`/backoffice/merchants/${m.id}/api-keys`)).body.data;
      const answers = await Promise.all(Array.from({ length: 5 }, () => admin.bo.post(`/backoffice/merchants/${m.id}/api-keys/${key.id}/revoke`)));
      expect(answers.map((a) => a.status)).toEqual(Array(5).fill(200));
      expect(new Set(answers.map((a) => a.body.revokedAt)).size).toBe(1);
      const stored = (await admin.bo.get(`/backoffice/merchants/${m.id}/api-keys`)).body.data[0];
      expect(stored.revokedAt).toBe(answers[0].body.revokedAt);
      expect((await m.api.get('/v1/transactions')).status).toBe(401);

      const unknown = await admin.bo.post(`/backoffice/merchants/mer_00000000000000000000000000/api-keys/${key.id}/revoke`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('MERCHANT_NOT_FOUND');
    });

    it('a disabled merchant is refused with 403 MERCHANT_DISABLED at once, and works again when enabled', async () => {
      const m = await t.newMerchant();
      await t.routeAllTo(m.id);
      const admin = await t.newStaff(['admin']);
      expect((await m.api.get('/v1/transactions')).status).toBe(200);

      const disabled = await admin.bo.patch(`/backoffice/merchants/${m.id}`, { status: 'disabled' });
      expect(disabled.status).toBe(200);
      expect(disabled.body).toMatchObject({ id: m.id, status: 'disabled' });
      const refused = await m.api.post('/v1/deposits', deposit());
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('MERCHANT_DISABLED');

      const bad = await admin.bo.patch(`/backoffice/merchants/${m.id}`, { status: 'paused' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'status' })]);
      expect((await admin.bo.patch(`/backoffice/merchants/${m.id}`, { status: 'active' })).status).toBe(200);
      expect((await m.api.post('/v1/deposits', deposit())).status).toBe(201);
    });
  });

  describe('deposits', () => {
    it('creates a card deposit, routes it, calls the provider and answers nextAction', async () => {
      const res = await merchant.api.post('/v1/deposits', deposit({ merchantTxId: 'order-1001' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^tx_[0-9A-Z]{26}$/),
        merchantTxId: 'order-1001',
        status: 'WAITING_INPUT',
        txType: 'CreditcardDeposit',
        amount: 150000,
        currency: 'UAH',
        provider: 'testpay',
        refundedAmount: 0,
        card: { brand: 'VISA', bin: '411111', last4: '1111', expiry: '2030-12' },
        nextAction: { type: 'REDIRECT', url: expect.stringContaining(res.body.id), method: 'GET' },
        failure: null,
      });
      expect(res.headers.get('x-request-id')).toBeTruthy();

      const stored = await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: res.body.id });
      expect(stored.amount).toBe(150000n);
      expect(stored.routingRuleId).toMatch(/^rr_/);
      expect(stored.routingReason).toContain("rule 'everything'");
      // No trace of the PAN or CVV anywhere in the stored row or its events.
      const events = await t.db.getRepository(TransactionEventEntity).findBy({ transactionId: res.body.id });
      const everything = JSON.stringify({ stored: { ...stored, amount: String(stored.amount), refundedAmount: String(stored.refundedAmount) }, events });
      expect(everything).not.toContain('4111111111111111');
      expect(everything).not.toMatch(/"cvv"/);
      expect(events.map((e) => [e.fromStatus, e.toStatus])).toEqual([
        [null, 'REGISTERED'],
        ['REGISTERED', 'WAITING_INPUT'],
      ]);
      const outbox = await t.db.getRepository(OutboxEntity).findBy({ transactionId: res.body.id });
      expect(outbox.map((o) => (o.payload as any).transaction.status)).toEqual(['REGISTERED', 'WAITING_INPUT']);
      // The adapter did receive the card to pass on.
      expect(t.testProvider.calls.find((c) => c.request.txId === res.body.id)?.request.card?.number).toBe('4111111111111111');
    });

    it('maps a decline to FAILED with a normalised failure', async () => {
      const res = await merchant.api.post('/v1/deposits', deposit({ amount: 150001 }));
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('FAILED');
      expect(res.body.failure).toMatchObject({ code: 'DECLINED_BY_ISSUER', providerCode: '05' });
    });

    it('leaves an unknown provider outcome INCONSISTENT, never FAILED', async () => {
      const res = await merchant.api.post('/v1/deposits', deposit({ amount: 150002 }));
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('INCONSISTENT');
    });

    it('answers 409 with the existing id for a repeated merchantTxId', async () => {
      const first = await merchant.api.post('/v1/deposits', deposit({ merchantTxId: 'dup-1' }));
      const second = await merchant.api.post('/v1/deposits', deposit({ merchantTxId: 'dup-1', amount: 200000 }));
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({
        code: 'DUPLICATE_MERCHANT_TX_ID',
        details: expect.arrayContaining([{ field: 'transactionId', issue: `is ${first.body.id}`, value: first.body.id }]),
      });
    });

    it('20 parallel deposits with one merchantTxId: one is created, the rest get 409 naming it, and nothing half-written stays', async () => {
      const merchantTxId = `par-${Date.now()}`;
      const answers = await Promise.all(Array.from({ length: 20 }, () => merchant.api.post('/v1/deposits', deposit({ merchantTxId }))));
      const created = answers.filter((a) => a.status === 201);
      expect(created).toHaveLength(1);
      const refused = answers.filter((a) => a.status === 409);
      expect(refused).toHaveLength(19);
      for (const r of refused)
        expect(r.body.error).toMatchObject({
          code: 'DUPLICATE_MERCHANT_TX_ID',
          details: [
            { field: 'merchantTxId', issue: 'is already used' },
            { field: 'transactionId', value: expect.stringMatching(/^tx_/) },
          ],
        });
      const id = created[0].body.id;
      const counts = await t.db.query(
        'SELECT (SELECT COUNT(*) FROM transactions WHERE merchant_id = ? AND merchant_tx_id = ?) AS txs, (SELECT COUNT(*) FROM transaction_events WHERE transaction_id = ?) AS events, (SELECT COUNT(*) FROM outbox WHERE transaction_id = ?) AS outbox',
        [merchant.id, merchantTxId, id, id],
      );
      expect(counts[0]).toEqual({ txs: '1', events: '2', outbox: '2' });
      // The refused batches were rolled back on their connections: the next deposits go through.
      const next = await Promise.all(Array.from({ length: 12 }, () => merchant.api.post('/v1/deposits', deposit())));
      expect(next.map((r) => r.status)).toEqual(Array(12).fill(201));
    });

    it('refuses a card deposit without a card, naming the field', async () => {
      const body = deposit();
      delete body.card;
      const res = await merchant.api.post('/v1/deposits', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details).toEqual([{ field: 'card', issue: expect.stringContaining('required') }]);
    });
  });

  describe('bad input is 4xx and writes nothing', () => {
    const count = () => t.db.getRepository(TransactionEntity).countBy({ merchantId: merchant.id });

    it('malformed JSON → 400 MALFORMED_JSON', async () => {
      const before = await count();
      const res = await merchant.api.post('/v1/deposits', '{"merchantTxId": "x", ', { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('MALFORMED_JSON');
      expect(await count()).toBe(before);
    });

    it('wrong types → 400 naming each field', async () => {
      const res = await merchant.api.post(
        '/v1/deposits',
        deposit({ amount: '150000', currency: 'XXX', card: { number: '4111111111111112', expiryMonth: '13', expiryYear: '2030' } }),
      );
      expect(res.status).toBe(400);
      const fields = res.body.error.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['amount', 'currency', 'card.number', 'card.expiryMonth']));
    });

    it('a float amount is refused, not rounded', async () => {
      const res = await merchant.api.post('/v1/deposits', deposit({ amount: 1500.5 }));
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'amount' })]));
    });

    it('unknown fields → 400 naming them', async () => {
      const res = await merchant.api.post(
        '/v1/deposits',
        deposit({ discount: 5, card: { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', pin: '1234' } }),
      );
      expect(res.status).toBe(400);
      const fields = res.body.error.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['discount', 'card.pin']));
    });

    it('a body over 1 MB → 413', async () => {
      const res = await merchant.api.post('/v1/deposits', JSON.stringify(deposit({ userId: 'x'.repeat(1100 * 1024) })), { 'content-type': 'application/json' });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('unknown route → 404 in the error shape', async () => {
      const res = await merchant.api.get('/v1/nothing-here');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
    });
  });

  describe('withdrawals and reads', () => {
    it('creates a withdrawal waiting for approval', async () => {
      const res = await merchant.api.post(
        '/v1/withdrawals',
        deposit({ txType: 'BankLocalWithdrawal', card: undefined, bank: { name: 'HDFC', accountNumber: '1234567890', clearingNumber: 'HDFC0000001' } }),
      );
      expect(res.status).toBe(201);
      expect(res.body.status).toBe(TxStatus.WAITING_APPROVAL);
      expect(res.body.provider).toBe('testpay');
    });

    it("reads one transaction and hides other merchants' ones", async () => {
      const created = await merchant.api.post('/v1/deposits', deposit());
      const read = await merchant.api.get(`/v1/transactions/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);

      const other = await t.newMerchant();
      const hidden = await other.api.get(`/v1/transactions/${created.body.id}`);
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.code).toBe('TRANSACTION_NOT_FOUND');
    });

    it('lists with cursor pagination, newest first, without gaps or repeats', async () => {
      const m = await t.newMerchant();
      await t.routeAllTo(m.id);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await m.api.post('/v1/deposits', deposit())).body.id);
      const page1 = await m.api.get('/v1/transactions?limit=2');
      expect(page1.body).toMatchObject({ hasMore: true, nextCursor: expect.any(String) });
      const page2 = await m.api.get(`/v1/transactions?limit=2&startingAfter=${page1.body.nextCursor}`);
      const page3 = await m.api.get(`/v1/transactions?limit=2&startingAfter=${page2.body.nextCursor}`);
      expect(page3.body).toMatchObject({ hasMore: false, nextCursor: null });
      const seen = [...page1.body.data, ...page2.body.data, ...page3.body.data].map((tx: { id: string }) => tx.id);
      expect(seen).toEqual([...ids].reverse());

      const filtered = await m.api.get(`/v1/transactions?merchantTxId=nope`);
      expect(filtered.body).toEqual({ data: [], hasMore: false, nextCursor: null });
      const badLimit = await m.api.get('/v1/transactions?limit=1000');
      expect(badLimit.status).toBe(400);
      expect(badLimit.body.error.details[0].field).toBe('limit');
    });
  });
});
