import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomToken } from '@payhub/common';
import { CallbackInboxEntity, CheckStatusUseCase } from '@payhub/payments';
import { TransactionEntity } from '@payhub/transactions';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { PaykassmaSandboxState } from '../apps/sandbox/src/paykassma/paykassma-sandbox.state';
import { sbPostbackSignature, sbWithdrawalSignature } from '../apps/sandbox/src/paykassma/paykassma-sandbox.php';
import { TestApp } from './support/test-app';
import { TestSandbox } from './support/test-sandbox';
import { waitFor } from './support/webhook-endpoint';
import { PkMerchant, pkMerchant, sandboxGet, sandboxPost, stored, until, walletDeposit } from './paykassma-support';

type Staff = Awaited<ReturnType<TestApp['newStaff']>>;

const payout = (service: string, currency: string, amount: number, overrides: Record<string, unknown> = {}) => ({
  merchantTxId: `po-${randomToken(10)}`,
  userId: 'user-77',
  txType: 'WalletWithdrawal',
  service,
  amount,
  currency,
  customer: { firstName: 'Ashik', lastName: 'Bik', email: 'ashik@example.com' },
  ...overrides,
});

describe('Paykassma payouts (v2/withdrawal/create) and postbacks', () => {
  let t: TestApp;
  let sandbox: TestSandbox;
  let worker: INestApplicationContext;
  let approver: Staff;

  beforeAll(async () => {
    sandbox = await TestSandbox.start();
    t = await TestApp.start();
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config, { schedule: false }), { logger: false, abortOnError: false });
    await worker.init();
    approver = await t.newStaff(['approver']);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sandbox?.close();
  });

  const withdrawalAt = (txId: string) => sandbox.app.get(PaykassmaSandboxState).withdrawals.get(txId);
  const inbox = (txId: string) => t.db.getRepository(CallbackInboxEntity).find({ where: { transactionId: txId } });

  /** Merchant creates, an approver releases, the worker submits to Paykassma. */
  async function approvedPayout(m: PkMerchant, body: Record<string, unknown>): Promise<TransactionEntity> {
    const created = await m.api.post('/v1/withdrawals', body);
    expect(created.status).toBe(201);
    expect((await approver.bo.post(`/backoffice/withdrawals/${created.body.id}/approve`)).status).toBe(200);
    const deadline = Date.now() + 8000;
    for (;;) {
      const tx = await stored(t, created.body.id);
      if (!['WAITING_APPROVAL', 'REGISTERED'].includes(tx.status)) return tx;
      if (Date.now() > deadline) throw new Error(`${tx.id} was not submitted`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('paytm payout: signed request with withdrawal_id = payhub id; PROCESSED postback → SUCCESSFUL', async () => {
    const m = await pkMerchant(t, sandbox);
    const tx = await approvedPayout(m, payout('paytm', 'INR', 100000, { wallet: { account: '5422222225' } }));
    expect(tx).toMatchObject({ status: 'PROCESSING', providerTxId: tx.id });
    const sent = withdrawalAt(tx.id)!.body;
    expect(sent).toMatchObject({
      withdrawal_id: tx.id,
      payment_system: 'paytm',
      amount: 1000,
      currency_code: 'INR',
      label: 'user-77',
      is_test: true,
      account_number: '5422222225',
    });
    expect(sent.signature).toBe(sbWithdrawalSignature(m.keys.withdrawalKey, sent));
    const done = await until(t, tx.id, 'SUCCESSFUL');
    // The inbox row is marked just after the change the postback carried commits.
    const rows = await waitFor(
      async () => {
        const found = await inbox(done.id);
        return found.length && found.every((r) => r.state !== 'received') ? found : null;
      },
      5000,
      'the postback to be marked in the inbox',
    );
    expect(rows.map((r) => r.state)).toEqual(['applied']);
  });

  it('fields a payment system may demand (payments_details, bank_code_in_payments_system, account_digit) are sent when required', async () => {
    const required = ['payments_details.payments_method', 'bank_details.bank_code_in_payments_system', 'account_digit'];
    await sandboxPost(sandbox, '/paykassma/_sandbox/readings', { extraWithdrawalRequired: { paytm: required } });
    try {
      const m = await pkMerchant(t, sandbox, { account: { withdrawalRequiredFields: `paytm:account_number,${required.join(',')}` } });
      const missing = await m.api.post('/v1/withdrawals', payout('paytm', 'INR', 100000, { wallet: { account: '5422222225' } }));
      expect(missing.status).toBe(400);
      expect(missing.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'bank.accountDigit',
        'bank.paymentMethod',
        'bank.providerBankCode',
      ]);
      const bank = { paymentMethod: 'MOBILE_MONEY', paymentProvider: '56', providerBankCode: '9393', accountDigit: '7' };
      const tx = await approvedPayout(m, payout('paytm', 'INR', 100000, { wallet: { account: '5422222225' }, bank }));
      expect(tx.status).toBe('PROCESSING');
      const sent = withdrawalAt(tx.id)!.body;
      expect(sent).toMatchObject({
        payments_details: { payments_method: 'MOBILE_MONEY', payments_provider: '56' },
        bank_details: { bank_code_in_payments_system: '9393' },
        account_digit: '7',
      });
      expect(sent.signature).toBe(sbWithdrawalSignature(m.keys.withdrawalKey, sent));
    } finally {
      await sandboxPost(sandbox, '/paykassma/_sandbox/readings', {});
    }
  });

  it('a PROCESSED withdrawal postback stating another amount holds the payout INCONSISTENT with AMOUNT_MISMATCH', async () => {
    const m = await pkMerchant(t, sandbox, { sandboxAccount: { postbackUrl: null } });
    const tx = await approvedPayout(m, payout('paytm', 'INR', 100000, { wallet: { account: '5422222225' } }));
    expect(tx.status).toBe('PROCESSING');
    const list = [{ amount: '1500', currency_code: 'INR', wallet_type: 'paytm', withdrawal_id: tx.id, withdrawal_status: 1, comment: '' }];
    const body = JSON.stringify({
      signature: sbPostbackSignature(m.keys.accessKey, m.keys.privateKey, list),
      wallet_type: 'paytm',
      amount: 1500,
      currency_code: 'INR',
      label: 'user-77',
      direction: 'outgoing',
      access_key: m.keys.accessKey,
      additional_data: list,
    });
    expect((await t.http.post('/callbacks/paykassma', body, { 'content-type': 'application/json' })).status).toBe(200);
    expect(await stored(t, tx.id)).toMatchObject({
      status: 'INCONSISTENT',
      failure: { code: 'AMOUNT_MISMATCH' },
      conflict: { code: 'AMOUNT_MISMATCH', reportedAmount: '150000', reportedCurrency: 'INR' },
    });
  });

  it('Itau payout with a unicode and slash comment: the postback signature over PHP JSON verifies', async () => {
    const m = await pkMerchant(t, sandbox, { descriptor: 'Retiro/Auszahlung – ñü "pago"' });
    const tx = await approvedPayout(m, payout('itau_ml', 'PYG', 75000, { wallet: { account: '220000000' }, bank: { accountName: 'Ashik Bik' } }));
    expect(tx.status).toBe('PROCESSING');
    await until(t, tx.id, 'SUCCESSFUL');
    const delivery = (await sandboxGet(sandbox, `/paykassma/_sandbox/postbacks?secret=${m.keys.secret}`)).data[0];
    // Sent with PHP's default escaping, signed over the unescaped form: hashing the raw bytes would fail.
    expect(delivery.body).toContain('Retiro\\/Auszahlung \\u2013 \\u00f1\\u00fc');
  });

  it('REJECTED (5) postback → FAILED with the provider code', async () => {
    const m = await pkMerchant(t, sandbox);
    const tx = await approvedPayout(m, payout('paytm', 'INR', 50000, { wallet: { account: '5400000055' } }));
    const done = await until(t, tx.id, 'FAILED');
    // Paykassma's REJECTED names no issuer: DECLINED_BY_PROVIDER, as Interkassa's cancelled payouts (issue 15).
    expect(done.failure).toMatchObject({ code: 'DECLINED_BY_PROVIDER', providerCode: '5' });
  });

  it('per-PS required fields are checked when the withdrawal is created: bkash without email, Itau with a short account, fractional INR → 400, nothing stored', async () => {
    const m = await pkMerchant(t, sandbox);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [payout('bkash', 'BDT', 100000, { wallet: { account: '01770618575' }, customer: { firstName: 'A' } }), 'customer.email', 'required'],
      [payout('itau_ml', 'PYG', 75000, { wallet: { account: '1234' }, bank: { accountName: 'Ashik Bik' } }), 'wallet.account', 'must be 7 to 9 digits'],
      [payout('paytm', 'INR', 100050, { wallet: { account: '5422222225' } }), 'amount', 'whole INR amounts'],
    ];
    for (const [body, field, issue] of cases) {
      const res = await m.api.post('/v1/withdrawals', body);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: expect.stringContaining(field.split('.').pop()!), issue: expect.stringContaining(issue) })]),
      );
      expect(await t.db.getRepository(TransactionEntity).countBy({ merchantTxId: body.merchantTxId as string })).toBe(0);
    }
  });

  it('"Insufficient balance" → FAILED INSUFFICIENT_FUNDS', async () => {
    const m = await pkMerchant(t, sandbox, { sandboxAccount: { balances: { INR: 500 } } });
    const tx = await approvedPayout(m, payout('paytm', 'INR', 100000, { wallet: { account: '5422222225' } }));
    expect(tx).toMatchObject({ status: 'FAILED', failure: { code: 'INSUFFICIENT_FUNDS', providerMessage: 'withdrawals_sum_amount: Insufficient balance' } });
  });

  it('a 5xx on create is INCONSISTENT; a timeout too, then the status check (`postback`) settles it', async () => {
    const m = await pkMerchant(t, sandbox, { sandboxAccount: { postbackUrl: null } });
    const broken = await approvedPayout(m, payout('paytm', 'INR', 100000, { wallet: { account: '5422222500' } }));
    expect(broken).toMatchObject({ status: 'INCONSISTENT', failure: { code: 'PROVIDER_ERROR' } });
    const slow = await approvedPayout(m, payout('paytm', 'INR', 100000, { wallet: { account: '5422222999' } }));
    expect(slow.status).toBe('INCONSISTENT');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await t.app.get(CheckStatusUseCase).check(slow.id)).tx.status).toBe('SUCCESSFUL');
    expect((await t.app.get(CheckStatusUseCase).check(broken.id)).tx.status).toBe('INCONSISTENT');
  });

  it('postbacks: a bad signature is 403 and changes nothing; the older `transactions` field is accepted; a repeat is 200 ok', async () => {
    const m = await pkMerchant(t, sandbox, { sandboxAccount: { postbackUrl: null } });
    const created = await m.api.post('/v1/deposits', walletDeposit('paytm', 'INR', 25000));
    await m.api.post(`/v1/deposits/${created.body.id}/activation`, { transactionNumber: `B${randomToken(8)}` });
    const list = [
      {
        amount: '250.00',
        currency_code: 'INR',
        wallet_type: 'paytm',
        stockpiling_id: 77,
        transaction_id: 'KEY-1',
        transaction_type: 0,
        plugin_custom_order_id: created.body.id,
        comment: 'a/ñ',
      },
    ];
    // The older `transactions` postbacks were signed over `toJson()` without flags: `a\/\u00f1` (issue 15).
    const body = (key: string, field = 'additional_data', escape = field === 'transactions') =>
      JSON.stringify({
        signature: sbPostbackSignature(m.keys.accessKey, key, list, escape),
        wallet_type: 'paytm',
        amount: 250,
        currency_code: 'INR',
        label: 'user-55',
        direction: 'ingoing',
        access_key: m.keys.accessKey,
        [field]: list,
      });

    const forged = await t.http.post('/callbacks/paykassma', body('wrong-private-key'), { 'content-type': 'application/json' });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('CALLBACK_SIGNATURE_INVALID');
    expect((await stored(t, created.body.id)).status).toBe('PROCESSING');

    const olderWrongFlags = await t.http.post('/callbacks/paykassma', body(m.keys.privateKey, 'transactions', false), { 'content-type': 'application/json' });
    expect(olderWrongFlags.status).toBe(403);
    const older = await t.http.post('/callbacks/paykassma', body(m.keys.privateKey, 'transactions'), { 'content-type': 'application/json' });
    expect([older.status, older.text]).toEqual([200, '{"status":"ok"}']);
    expect(await stored(t, created.body.id)).toMatchObject({ status: 'SUCCESSFUL', providerTxId: 'KEY-1' });
    const again = await t.http.post('/callbacks/paykassma', body(m.keys.privateKey), { 'content-type': 'application/json' });
    expect([again.status, again.text]).toEqual([200, '{"status":"ok"}']);
    expect(
      (await t.db.getRepository(CallbackInboxEntity).find({ where: { provider: 'paykassma', rawBody: body('wrong-private-key') } })).map((r) => r.state),
    ).toEqual(['rejected']);
  });

  it("a postback signed by another merchant's keys cannot settle this merchant's deposit", async () => {
    const m = await pkMerchant(t, sandbox, { sandboxAccount: { postbackUrl: null } });
    const other = await pkMerchant(t, sandbox);
    const created = await m.api.post('/v1/deposits', walletDeposit('paytm', 'INR', 25000));
    const list = [{ amount: '250.00', currency_code: 'INR', transaction_id: 'X', stockpiling_id: 1, plugin_custom_order_id: created.body.id }];
    const res = await t.http.post(
      '/callbacks/paykassma',
      JSON.stringify({
        signature: sbPostbackSignature(other.keys.accessKey, other.keys.privateKey, list),
        access_key: other.keys.accessKey,
        direction: 'ingoing',
        additional_data: list,
      }),
      { 'content-type': 'application/json' },
    );
    expect(res.status).toBe(200);
    expect((await stored(t, created.body.id)).status).toBe('WAITING_INPUT');
  });

  it('Paykassma re-sends a postback until it is answered {"status":"ok"}', async () => {
    let calls = 0;
    const flaky: Server = createServer((req, res) => {
      calls++;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (calls < 3) return void res.writeHead(503).end('busy');
        const forwarded = await fetch(`${t.http.baseUrl}/callbacks/paykassma`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: Buffer.concat(chunks),
        });
        res.writeHead(forwarded.status, { 'content-type': 'application/json' }).end(await forwarded.text());
      });
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', () => r()));
    try {
      const m = await pkMerchant(t, sandbox, { sandboxAccount: { postbackUrl: `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/` } });
      const created = await m.api.post('/v1/deposits', walletDeposit('paytm', 'INR', 25000));
      await m.api.post(`/v1/deposits/${created.body.id}/activation`, { transactionNumber: `F${randomToken(8)}`, amount: 25000 });
      await until(t, created.body.id, 'SUCCESSFUL');
      // payhub may settle the deposit a moment before the simulator has written down the answer it got.
      const delivery = await waitFor(
        async () => {
          const [d] = (await sandboxGet(sandbox, `/paykassma/_sandbox/postbacks?secret=${m.keys.secret}`)).data;
          return d?.delivered ? d : null;
        },
        5000,
        'the simulator to record the delivered postback',
      );
      expect(delivery.attempts.map((a: { status: number }) => a.status)).toEqual([503, 503, 200]);
      expect(delivery.delivered).toBe(true);
    } finally {
      await new Promise((r) => flaky.close(r));
    }
  });

  it('the sandbox hides every plugin API path behind ?secret= (404 without it)', async () => {
    const res = await fetch(`${sandbox.url}/paykassma/api/v1/accounts-balance?secret=nope`);
    expect(res.status).toBe(404);
    expect((await sandboxPost(sandbox, '/paykassma/api/v1/transaction/create/paytm', { currency: 'INR', label: 'x' })).status).toBe(404);
  });
});
