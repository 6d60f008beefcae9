import { OutboxEntity } from '@payhub/transactions';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { TEST_PROVIDER } from './support/test-provider';
import type { RoutingRuleDto } from '@payhub/routing';

/** What an integrator meets first: each mistake answered with one clear issue, in one error shape. */
describe('integrator-facing answers', () => {
  let t: TestApp;
  let m: TestMerchant;

  beforeAll(async () => {
    t = await TestApp.start();
    m = await t.newMerchant();
    await t.routeAllTo(m.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  const issues = (res: { body: { error: { details: Array<{ field: string; issue: string }> } } }) => res.body.error.details;

  it('an amount sent as a string gets one issue saying to send a number', async () => {
    const res = await m.api.post('/v1/deposits', deposit({ amount: '1000' }));
    expect(res.status).toBe(400);
    expect(issues(res)).toEqual([{ field: 'amount', issue: 'must be a JSON number of minor units, not a string: 1000, not "1000"' }]);
  });

  it('a fraction, zero and an amount past the currency maximum get one issue each, in major units too', async () => {
    expect(issues(await m.api.post('/v1/deposits', deposit({ amount: 10.5, currency: 'EUR' })))).toEqual([
      { field: 'amount', issue: 'must be a whole number of minor units (1000 = 10.00 EUR), not 10.5' },
    ]);
    expect(issues(await m.api.post('/v1/deposits', deposit({ amount: 0 })))).toEqual([{ field: 'amount', issue: 'must be at least 1' }]);
    const huge = await m.api.post('/v1/deposits', deposit({ amount: 9007199254740991, currency: 'EUR' }));
    expect(huge.status).toBe(400);
    expect(issues(huge)).toEqual([{ field: 'amount', issue: 'must be at most 10000000000 (100000000.00 EUR)' }]);
    expect(t.testProvider.calls.some((c) => c.request.amount === 9007199254740991n)).toBe(false);
    // The ceiling is per currency: JPY has no minor unit, KWD three.
    expect(issues(await m.api.post('/v1/deposits', deposit({ amount: 100_000_001, currency: 'JPY' })))).toEqual([
      { field: 'amount', issue: 'must be at most 100000000 (100000000 JPY)' },
    ]);
    expect(issues(await m.api.post('/v1/deposits', deposit({ amount: 100_000_000_001, currency: 'KWD' })))).toEqual([
      { field: 'amount', issue: 'must be at most 100000000000 (100000000.000 KWD)' },
    ]);
  });

  it('a lower-case currency is told to be upper-case; an unknown one is told what is accepted', async () => {
    expect(issues(await m.api.post('/v1/deposits', deposit({ currency: 'uah' })))).toEqual([{ field: 'currency', issue: 'must be upper-case: UAH, not uah' }]);
    expect(issues(await m.api.post('/v1/deposits', deposit({ currency: 'XXX' })))).toEqual([
      { field: 'currency', issue: expect.stringContaining('must be a supported ISO 4217 currency code') },
    ]);
  });

  it('a form or text body is 415 "send JSON", not a list of missing fields', async () => {
    const form = await m.api.post('/v1/deposits', 'merchantTxId=x&amount=1000', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.body.error).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: [{ field: 'Content-Type', issue: 'must be application/json, not application/x-www-form-urlencoded' }],
    });
    const text = await m.api.post('/v1/deposits', JSON.stringify(deposit()), { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.body.error.message).toBe('Send the body as JSON with Content-Type: application/json, not text/plain');
    const admin = await t.newStaff(['admin']);
    expect((await admin.bo.patch(`/backoffice/merchants/${m.id}`, 'status=disabled', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(
      415,
    );
    // Provider configs still take PaymentIQ XML; a bodiless POST declares nothing and passes.
    const xml = await admin.bo.put(`/backoffice/merchants/${m.id}/providers/interkassa/config`, '<nope', { 'content-type': 'application/xml' });
    expect(xml.status).not.toBe(415);
    expect((await m.api.post('/v1/transactions/tx_01NOPE/cancel')).status).not.toBe(415);
  });

  it('a wrong method on a known path is 405 with Allow; an unknown path stays 404', async () => {
    const res = await m.api.request('DELETE', '/v1/deposits');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(res.body.error).toMatchObject({ code: 'METHOD_NOT_ALLOWED', message: 'DELETE is not allowed here; this path answers POST' });
    const put = await m.api.request('PUT', '/v1/transactions/tx_01ABC');
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    expect((await m.api.get('/v1/nothing-here')).status).toBe(404);
  });

  it('ROUTING_NO_MATCH names the amount in major units', async () => {
    const picky = await t.newMerchant();
    await t.routeAllTo(picky.id, [
      {
        name: 'UAH only',
        priority: 10,
        enabled: true,
        when: { currencies: ['UAH'] },
        then: { targets: [{ provider: TEST_PROVIDER, account: 'DEFAULT', weight: 100 }], fallback: [] },
      } as RoutingRuleDto,
    ]);
    const res = await picky.api.post('/v1/deposits', deposit({ amount: 1000, currency: 'EUR' }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('ROUTING_NO_MATCH');
    expect(res.body.error.message).toContain('CreditcardDeposit, 10.00 EUR');
  });

  it('every error has exactly code, message, details and requestId; facts are details rows with a value', async () => {
    const body = deposit({ amount: 150004 });
    const first = await m.api.post('/v1/deposits', body);
    const again = await m.api.post('/v1/deposits', body);
    expect(again.status).toBe(409);
    expect(Object.keys(again.body)).toEqual(['error']);
    expect(Object.keys(again.body.error).sort()).toEqual(['code', 'details', 'message', 'requestId']);
    expect(again.body.error.details).toEqual([
      { field: 'merchantTxId', issue: 'is already used' },
      { field: 'transactionId', issue: `is ${first.body.id}`, value: first.body.id },
    ]);

    const over = await m.api.post(`/v1/transactions/${first.body.id}/refunds`, { amount: 150005, merchantRefundId: `r-${first.body.id}` });
    expect(over.status).toBe(422);
    expect(Object.keys(over.body.error).sort()).toEqual(['code', 'details', 'message', 'requestId']);
    expect(over.body.error.message).toBe(`1500.05 UAH exceeds the 1500.04 UAH still refundable on ${first.body.id}`);
    expect(over.body.error.details).toEqual([
      { field: 'amount', issue: 'must be at most 150004 (1500.04 UAH)' },
      { field: 'refundable', issue: 'is 150004', value: 150004 },
    ]);
  });

  it('lists share one shape; back-office results carry merchantId; /v1/transactions filters by userId; event ids are prefixed', async () => {
    const admin = await t.newStaff(['admin']);
    for (const path of [
      `/backoffice/merchants/${m.id}/api-keys`,
      `/backoffice/merchants/${m.id}/routing/rules`,
      '/backoffice/merchants',
      '/backoffice/staff',
    ]) {
      const res = await admin.bo.get(path);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['data', 'hasMore', 'nextCursor']);
    }
    const mine = await m.api.post('/v1/deposits', deposit({ userId: `user-${m.id.slice(-6)}`, amount: 150004 }));
    await m.api.post('/v1/deposits', deposit({ userId: 'someone-else', amount: 150004 }));
    const byUser = await m.api.get(`/v1/transactions?userId=user-${m.id.slice(-6)}`);
    expect(byUser.status).toBe(200);
    expect(byUser.body.data.map((x: { id: string }) => x.id)).toEqual([mine.body.id]);

    const search = await admin.bo.get(`/backoffice/transactions?merchantId=${m.id}&limit=5`);
    expect(search.body.data.length).toBeGreaterThan(0);
    expect(search.body.data.every((x: { merchantId: string }) => x.merchantId === m.id)).toBe(true);
    const detail = await admin.bo.get(`/backoffice/transactions/${mine.body.id}`);
    expect(detail.body.events.length).toBeGreaterThan(0);
    expect(detail.body.events.every((e: { id: string }) => /^tev_\d+$/.test(e.id))).toBe(true);
  });

  it('webhooks are typed per outcome and carry createdAt; a settled refund announces transaction.refunded on the deposit', async () => {
    const paid = await m.api.post('/v1/deposits', deposit({ amount: 150004 }));
    expect(paid.body.status).toBe('SUCCESSFUL');
    const refund = await m.api.post(`/v1/transactions/${paid.body.id}/refunds`, { amount: 10000, merchantRefundId: `r-${paid.body.id}` });
    expect(refund.body.status).toBe('SUCCESSFUL');
    const waiting = await m.api.post('/v1/deposits', deposit({ amount: 150000 }));
    const declined = await m.api.post('/v1/deposits', deposit({ amount: 150001 }));
    const typesOf = async (id: string) => await t.db.getRepository(OutboxEntity).find({ where: { transactionId: id }, order: { id: 'ASC' } });

    const parentRows = await typesOf(paid.body.id);
    expect(parentRows.map((r) => r.type)).toEqual(['transaction.created', 'transaction.succeeded', 'transaction.refunded']);
    expect(parentRows[2].payload).toMatchObject({
      type: 'transaction.refunded',
      transaction: { refundedAmount: 10000 },
      refund: { id: refund.body.id, amount: 10000, status: 'SUCCESSFUL' },
    });
    for (const row of parentRows) {
      expect(row.payload.type).toBe(row.type);
      expect(row.payload.createdAt).toBe(row.createdAt.toISOString());
    }
    expect((await typesOf(refund.body.id)).map((r) => r.type)).toEqual(['transaction.created', 'transaction.succeeded']);
    expect((await typesOf(waiting.body.id)).map((r) => r.type)).toEqual(['transaction.created', 'transaction.waiting_input']);
    expect((await typesOf(declined.body.id)).map((r) => r.type)).toEqual(['transaction.created', 'transaction.failed']);
  });
});
