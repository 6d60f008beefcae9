import { AuditLogEntity } from '@payhub/backoffice';
import { TransactionStateService, TxStatus } from '@payhub/transactions';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { signTestpay } from './support/test-provider';
import { transactionThrough } from './support/webhook-fixtures';

const withdrawal = (overrides: Record<string, unknown> = {}) =>
  deposit({
    txType: 'BankLocalWithdrawal',
    card: undefined,
    amount: 150000,
    bank: { name: 'HDFC', accountNumber: '1234567890', accountName: 'John Doe' },
    ...overrides,
  });

/** The back-office routes the console reads: dashboard, timeline, status check, CSV exports, approval queue, search box. */
describe('back office: console routes', () => {
  let t: TestApp;
  let merchant: TestMerchant;
  let viewer: Awaited<ReturnType<TestApp['newStaff']>>;
  let operator: Awaited<ReturnType<TestApp['newStaff']>>;

  beforeAll(async () => {
    // Its own database: the dashboard counts every transaction, so no other spec may add to them.
    t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('console_routes') } });
    merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
    [viewer, operator] = await Promise.all([t.newStaff(['viewer']), t.newStaff(['operator'])]);
  });
  afterAll(() => t?.close());

  const pay = async (overrides: Record<string, unknown> = {}, m: TestMerchant = merchant) =>
    (await m.api.post('/v1/deposits', deposit(overrides))).body as { id: string; status: string; merchantTxId: string };

  it('dashboard: the last 24 h by provider, status and currency, success rates of finished ones, and what needs a person', async () => {
    await pay({ amount: 100004 });
    await pay({ amount: 200004 });
    await pay({ amount: 300001 });
    await pay({ amount: 5004, currency: 'USD' });
    const inconsistent = await pay({ amount: 400002 });
    expect(inconsistent.status).toBe('INCONSISTENT');
    const waiting = await merchant.api.post('/v1/withdrawals', withdrawal());
    expect(waiting.body.status).toBe('WAITING_APPROVAL');

    const res = await viewer.bo.get('/backoffice/dashboard');
    expect(res.status).toBe(200);
    const uah = (status: string) => res.body.volume.find((v: { status: string; currency: string }) => v.status === status && v.currency === 'UAH');
    expect(uah('SUCCESSFUL')).toEqual({ provider: 'testpay', status: 'SUCCESSFUL', currency: 'UAH', count: 2, amount: '300008' });
    expect(uah('FAILED')).toMatchObject({ count: 1, amount: '300001' });
    expect(res.body.volume).toContainEqual({ provider: 'testpay', status: 'SUCCESSFUL', currency: 'USD', count: 1, amount: '5004' });
    expect(res.body.successRates).toContainEqual({ provider: 'testpay', txType: 'CreditcardDeposit', successful: 3, finished: 4, rate: 0.75 });
    expect(res.body).toMatchObject({ inconsistent: 1, conflicts: 0, waitingApproval: 1, failedWebhooks: 0 });
    expect(res.body.oldestUnfinished).toMatchObject({ id: inconsistent.id, status: 'INCONSISTENT' });
    expect(res.body.oldestUnfinished.ageSeconds).toBeGreaterThanOrEqual(0);
  });

  it('dashboard: a volume beyond 2^53 minor units is exact integer text, never a rounded JSON number', async () => {
    const m = await t.newMerchant();
    const state = t.app.get(TransactionStateService);
    // One payment is capped at a safe integer; a day's sum is not. 2^53 + 5 is odd, so a double cannot hold it.
    for (const amount of ['9007199254740991', '6']) {
      const tx = await transactionThrough(state, m.id, [TxStatus.REGISTERED, TxStatus.SUCCESSFUL], { provider: 'testpay-b' });
      await t.db.query("UPDATE transactions SET amount = ?, currency = 'JPY' WHERE id = ?", [amount, tx.id]);
    }
    const res = await viewer.bo.get('/backoffice/dashboard');
    expect(res.status).toBe(200);
    expect(res.text).toContain('"amount":"9007199254740997"');
    expect(res.body.volume).toContainEqual({ provider: 'testpay-b', status: 'SUCCESSFUL', currency: 'JPY', count: 2, amount: '9007199254740997' });
  });

  it('search box: one value matched against payhub id, merchantTxId, provider id and userId; currency and open-conflict filters', async () => {
    const m = await t.newMerchant();
    await t.routeAllTo(m.id);
    const a = await pay({ amount: 110004, userId: 'search-user-a' }, m);
    const b = await pay({ amount: 120004, currency: 'EUR' }, m);
    const byBox = async (q: string) =>
      (await viewer.bo.get(`/backoffice/transactions?merchantId=${m.id}&q=${encodeURIComponent(q)}`)).body.data.map((x: { id: string }) => x.id);
    expect(await byBox(a.id)).toEqual([a.id]);
    expect(await byBox(a.merchantTxId)).toEqual([a.id]);
    expect(await byBox(`testpay-${a.id}`)).toEqual([a.id]);
    expect(await byBox('search-user-a')).toEqual([a.id]);
    const eur = await viewer.bo.get(`/backoffice/transactions?merchantId=${m.id}&currency=EUR`);
    expect(eur.body.data.map((x: { id: string }) => x.id)).toEqual([b.id]);
    expect(eur.body.data[0]).toMatchObject({ merchantId: m.id, providerTxId: `testpay-${b.id}` });
    expect((await viewer.bo.get('/backoffice/transactions?currency=XXX')).body.error.details[0].field).toBe('currency');

    const raw = JSON.stringify({ txId: a.id, eventId: `c-${a.id}`, status: 'FAILED' });
    await t.http.post(`/callbacks/testpay/${a.id}`, raw, { 'content-type': 'application/json', 'x-testpay-signature': signTestpay(raw, 'k-123456') });
    const conflicted = await viewer.bo.get(`/backoffice/transactions?merchantId=${m.id}&conflict=open`);
    expect(conflicted.body.data.map((x: { id: string }) => x.id)).toEqual([a.id]);
    expect((await viewer.bo.get('/backoffice/dashboard')).body.conflicts).toBe(1);
  });

  it("transactions CSV: every transaction of the filter, quoted, with the search's columns; audit CSV likewise", async () => {
    const m = await t.newMerchant();
    await t.routeAllTo(m.id);
    const made: Array<{ id: string }> = [];
    for (let i = 0; i < 7; i++) made.push(await pay({ amount: 130004 + i * 100, merchantTxId: i === 0 ? '-cmd/calc' : `csv-${i}` }, m));
    const res = await viewer.bo.get(`/backoffice/transactions/export.csv?merchantId=${m.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('transactions.csv');
    const lines = res.text.trim().split('\r\n');
    expect(lines[0].split(',')).toEqual([
      'id',
      'merchantId',
      'merchantTxId',
      'userId',
      'txType',
      'service',
      'status',
      'amount',
      'currency',
      'refundedAmount',
      'settledAmount',
      'provider',
      'providerTxId',
      'country',
      'parentId',
      'failure',
      'createdAt',
      'updatedAt',
    ]);
    expect(lines).toHaveLength(8);
    expect(lines.map((l) => l.split(',')[0]).slice(1)).toEqual(made.map((x) => x.id).reverse());
    // A cell a spreadsheet would run as a formula is defused.
    expect(lines[7]).toContain(`,'-cmd/calc,`);
    expect(lines[1]).toContain(',130604,UAH,');
    // Amounts are exact integer text: a stored amount beyond a JSON-safe integer does not break the export.
    await t.db.query('UPDATE transactions SET amount = 9007199254740993 WHERE id = ?', [made[3].id]);
    const big = await viewer.bo.get(`/backoffice/transactions/export.csv?merchantId=${m.id}`);
    expect(big.text.split('\r\n').find((l) => l.startsWith(made[3].id))).toContain(',9007199254740993,UAH,');
    const bad = await viewer.bo.get('/backoffice/transactions/export.csv?amountMin=1.5');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('amountMin');
    expect((await t.http.get('/backoffice/transactions/export.csv')).status).toBe(401);

    const audit = await viewer.bo.get('/backoffice/audit-log/export.csv?action=merchant.api_key.create');
    expect(audit.status).toBe(200);
    expect(audit.text.split('\r\n')[0]).toBe('id,at,actorId,actorEmail,action,targetType,targetId,reason,before,after,requestId');
  });

  it('check status now: asks the provider, applies the answer as a status check, audits who asked', async () => {
    const tx = await pay({ amount: 140000 });
    expect(tx.status).toBe('WAITING_INPUT');
    t.testProvider.statuses.set(tx.id, TxStatus.SUCCESSFUL);
    expect((await viewer.bo.post(`/backoffice/transactions/${tx.id}/check-status`)).status).toBe(403);
    const res = await operator.bo.post(`/backoffice/transactions/${tx.id}/check-status`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ result: 'applied', transaction: { id: tx.id, status: 'SUCCESSFUL' } });
    const audit = await t.db.getRepository(AuditLogEntity).findOneByOrFail({ action: 'transaction.check_status', targetId: tx.id });
    expect(audit).toMatchObject({ actorId: operator.id, before: { status: 'WAITING_INPUT' }, after: { status: 'SUCCESSFUL', result: 'applied' } });

    const timeline = await viewer.bo.get(`/backoffice/transactions/${tx.id}/timeline`);
    expect(timeline.status).toBe(200);
    const kinds = timeline.body.entries.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['status_change', 'staff_action']));
    const times = timeline.body.entries.map((e: { at: string }) => e.at);
    expect([...times].sort()).toEqual(times);
    expect(timeline.body.entries.find((e: { kind: string }) => e.kind === 'staff_action')).toMatchObject({
      summary: 'transaction.check_status',
      actor: operator.email,
    });
    expect(JSON.stringify(timeline.body)).not.toContain('k-123456');
  });

  it('approval queue: waiting withdrawals oldest first, each saying whether the reader may approve it', async () => {
    const m = await t.newMerchant();
    await t.routeAllTo(m.id);
    const approver = await t.newStaff(['approver']);
    const admin = await t.newStaff(['admin']);
    // A key minted by the admin: payouts it creates are the admin's own under four eyes.
    const key = await admin.bo.post(`/backoffice/merchants/${m.id}/api-keys`, { label: 'minted by admin' });
    expect(key.status).toBe(201);
    const byKey = await t.http.with({ 'x-api-key': key.body.apiKey }).post('/v1/withdrawals', withdrawal({ amount: 150100 }));
    const plain = await m.api.post('/v1/withdrawals', withdrawal({ amount: 150200 }));
    const asApprover = await approver.bo.get(`/backoffice/withdrawals/approval-queue?merchantId=${m.id}`);
    expect(asApprover.body.data.map((p: { id: string; approvable: boolean }) => [p.id, p.approvable])).toEqual([
      [byKey.body.id, true],
      [plain.body.id, true],
    ]);
    const asAdmin = await admin.bo.get(`/backoffice/withdrawals/approval-queue?merchantId=${m.id}`);
    expect(asAdmin.body.data.map((p: { approvable: boolean; notApprovableReason: string | null }) => [p.approvable, p.notApprovableReason])).toEqual([
      [false, 'own_payout'],
      [true, null],
    ]);
    const asViewer = await viewer.bo.get(`/backoffice/withdrawals/approval-queue?merchantId=${m.id}&limit=1`);
    expect(asViewer.body).toMatchObject({ hasMore: true, nextCursor: byKey.body.id, data: [{ approvable: false, notApprovableReason: 'not_an_approver' }] });
    const second = await viewer.bo.get(`/backoffice/withdrawals/approval-queue?merchantId=${m.id}&limit=1&startingAfter=${byKey.body.id}`);
    expect(second.body.data.map((p: { id: string }) => p.id)).toEqual([plain.body.id]);
    // The API refuses what the queue marks as not approvable.
    expect((await admin.bo.post(`/backoffice/withdrawals/${byKey.body.id}/approve`)).body.error.code).toBe('FOUR_EYES_VIOLATION');
  });

  it('auth/me: who the session is', async () => {
    const res = await operator.bo.get('/backoffice/auth/me');
    expect(res.body).toEqual({ id: operator.id, email: operator.email, roles: ['operator'] });
    expect((await t.http.get('/backoffice/auth/me')).status).toBe(401);
  });
});
