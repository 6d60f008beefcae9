import { CallbackInboxEntity } from '@payhub/payments';
import { TransactionEntity } from '@payhub/transactions';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { TcpProxy } from './support/tcp-proxy';
import { testDatabaseUrl } from './support/test-database';
import { signTestpay } from './support/test-provider';

/** Inputs that used to reach a 500 or write malformed rows (issue 12): each a 4xx naming the field, nothing written. */
describe('input validation: nested blocks, null amounts, deep JSON, callback ids, backends down', () => {
  let t: TestApp;
  let merchant: TestMerchant;

  beforeAll(async () => {
    t = await TestApp.start();
    merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
  });
  afterAll(() => t.close());

  const countFor = (merchantTxId: unknown) => t.db.getRepository(TransactionEntity).countBy({ merchantId: merchant.id, merchantTxId: merchantTxId as string });
  const fields = (res: { body: { error: { details: Array<{ field: string }> } } }) => res.body.error.details.map((d) => d.field);

  it.each([
    ['card', []],
    ['customer', [{ email: 'a@b.co' }]],
    ['bank', [{ name: 'HDFC' }]],
    ['redirectUrls', ['https://m.example/ok']],
    ['wallet', []],
    ['browser', []],
    ['customer', { identify: [] }],
  ])('a deposit whose %s block is %j: 400 naming the block, nothing stored', async (block, value) => {
    const body = deposit({ [block]: value });
    const res = await merchant.api.post('/v1/deposits', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(fields(res)).toContain(Array.isArray(value) ? block : `${block}.identify`);
    expect(await countFor(body.merchantTxId)).toBe(0);
  });

  it('a withdrawal (one that would wait for approval) with array blocks: 400, nothing stored', async () => {
    const body = deposit({ txType: 'BankLocalWithdrawal', card: undefined, bank: [{ accountNumber: '1' }], customer: [{ firstName: 'A' }] });
    const res = await merchant.api.post('/v1/withdrawals', body);
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(expect.arrayContaining(['bank', 'customer']));
    expect(await countFor(body.merchantTxId)).toBe(0);
  });

  it('a refund with amount null: 400 naming amount, no refund created', async () => {
    const paid = (await merchant.api.post('/v1/deposits', deposit({ amount: 150004 }))).body;
    expect(paid.status).toBe('SUCCESSFUL');
    const res = await merchant.api.post(`/v1/transactions/${paid.id}/refunds`, { amount: null, merchantRefundId: `r-${paid.id}` });
    expect(res.status).toBe(400);
    expect(new Set(fields(res))).toEqual(new Set(['amount']));
    expect(await t.db.getRepository(TransactionEntity).countBy({ parentId: paid.id })).toBe(0);
  });

  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('a deposit nested 10,000 levels deep: 400 naming the body, nothing stored', async () => {
    const merchantTxId = `deep-${Date.now()}`;
    const raw = JSON.stringify(deposit({ merchantTxId })).replace(/}$/, `,"customer":${nested(10000)}}`);
    const res = await merchant.api.post('/v1/deposits', raw, { 'content-type': 'application/json', 'idempotency-key': `deep-${merchantTxId}` });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['body']);
    expect(await countFor(merchantTxId)).toBe(0);
  });

  it('a provider config PUT nested 10,000 levels deep: 400 naming the body, no version written', async () => {
    const admin = await t.newStaff(['admin']);
    const other = await t.newMerchant();
    const res = await admin.bo.put(`/backoffice/merchants/${other.id}/providers/testpay/config`, `{"enabled":true,"accounts":${nested(10000)}}`, {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['body']);
    expect((await admin.bo.get(`/backoffice/merchants/${other.id}/providers/testpay/config`)).status).toBe(404);
  });

  it('a shallow body with many siblings is fine: the limit is on depth only', async () => {
    const res = await merchant.api.post('/v1/deposits', deposit({ customer: { email: 'a@b.co', address: { line1: 'x', city: 'y' } } }));
    expect(res.status).toBe(201);
  });

  it.each([33, 40, 100])('a callback URL whose id has %i characters: 400 naming txId, nothing stored', async (length) => {
    const marker = `marker-${length}-${Date.now()}`;
    const raw = JSON.stringify({ cardnum: '4012888888881881', cvv: '321', marker });
    const res = await t.http.post(`/callbacks/kasha/${'x'.repeat(length)}`, raw, { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'CALLBACK_INVALID', details: [{ field: 'txId' }] });
    const stored = await t.db
      .getRepository(CallbackInboxEntity)
      .createQueryBuilder('c')
      .where('c.raw_body LIKE :m', { m: `%${marker}%` })
      .getCount();
    expect(stored).toBe(0);
  });

  it('a testpay callback to a well-formed id still goes through', async () => {
    const tx = (await merchant.api.post('/v1/deposits', deposit())).body;
    const raw = JSON.stringify({ txId: tx.id, eventId: 'e-ok', status: 'SUCCESSFUL' });
    expect(
      (await t.http.post(`/callbacks/testpay/${tx.id}`, raw, { 'content-type': 'application/json', 'x-testpay-signature': signTestpay(raw, 'k-123456') }))
        .status,
    ).toBe(200);
  });

  describe('MySQL down', () => {
    let proxy: TcpProxy;
    let down: TestApp;
    let m: TestMerchant;

    beforeAll(async () => {
      const direct = new URL(testDatabaseUrl());
      proxy = await new TcpProxy(direct.hostname, Number(direct.port || 3306)).up();
      direct.port = String(proxy.port);
      down = await TestApp.start({ env: { DATABASE_URL: direct.toString() } });
      m = await down.newMerchant();
      await down.routeAllTo(m.id);
    });
    afterAll(async () => {
      await proxy.up().catch(() => undefined);
      await down?.close();
      await proxy.down();
    });

    it('answers 503 with Retry-After while MySQL cannot be reached, and works again once it is back', async () => {
      expect((await m.api.post('/v1/deposits', deposit())).status).toBe(201);
      await proxy.down();
      const body = deposit();
      const res = await m.api.post('/v1/deposits', body, { 'idempotency-key': `down-${body.merchantTxId}` });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await m.api.get(`/v1/transactions?merchantTxId=${body.merchantTxId}`)).status).toBe(503);

      await proxy.up();
      let again = await m.api.post('/v1/deposits', body, { 'idempotency-key': `down-${body.merchantTxId}` });
      for (let i = 0; i < 50 && again.status === 503; i++) {
        await new Promise((r) => setTimeout(r, 100));
        again = await m.api.post('/v1/deposits', body, { 'idempotency-key': `down-${body.merchantTxId}` });
      }
      expect(again.status).toBe(201);
      expect(await t.db.getRepository(TransactionEntity).countBy({ merchantId: m.id, merchantTxId: body.merchantTxId as string })).toBe(1);
    });
  });
});
