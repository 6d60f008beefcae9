import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomToken } from '@payhub/common';
import { CallbackInboxEntity, CheckStatusUseCase } from '@payhub/payments';
import { ProviderConfigService } from '@payhub/provider-config';
import { InterkassaModule } from '@payhub/providers-interkassa';
import { INTERKASSA_DEMO_SEED } from '../scripts/demo/interkassa.demo-seed';
import { RoutingService } from '@payhub/routing';
import { TransactionEntity, TransactionEventEntity, TxStatus } from '@payhub/transactions';
import { Like } from 'typeorm';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { sandboxIkSign } from '../apps/sandbox/src/interkassa/interkassa-sandbox.signature';
import { InterkassaSandboxState } from '../apps/sandbox/src/interkassa/interkassa-sandbox.state';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { TestSandbox } from './support/test-sandbox';

type Staff = Awaited<ReturnType<TestApp['newStaff']>>;
interface IkMerchant extends TestMerchant {
  keys: { checkoutId: string; customerId: string; apiKey: string; secretKey: string; accountID: string; walletId: string };
}

const upiPayout = (overrides: Record<string, unknown> = {}) =>
  deposit({
    txType: 'WalletWithdrawal',
    service: 'UPI',
    currency: 'INR',
    country: 'IN',
    card: undefined,
    amount: 150000,
    wallet: { account: 'rahul99@okhdfc' },
    customer: { firstName: 'Rahul', lastName: 'Shah', phone: '+919876543210', email: 'r@s.in' },
    ...overrides,
  });
const bankPayout = (overrides: Record<string, unknown> = {}) =>
  upiPayout({
    txType: 'BankLocalWithdrawal',
    service: undefined,
    wallet: undefined,
    bank: { name: 'HDFC', accountNumber: '50100012345678', accountName: 'Rahul Shah', clearingNumber: 'HDFC0000123' },
    ...overrides,
  });

describe('Interkassa payouts through the back office, the payouts worker and the sandbox', () => {
  let t: TestApp;
  let sandbox: TestSandbox;
  let worker: INestApplicationContext;
  let approver: Staff;

  beforeAll(async () => {
    sandbox = await TestSandbox.start();
    t = await TestApp.start();
    // The worker as production builds it, with the payouts processor and the Interkassa adapter; no timers.
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config, { schedule: false, extraModules: [InterkassaModule] }), {
      logger: false,
      abortOnError: false,
    });
    await worker.init();
    approver = await t.newStaff(['approver']);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sandbox?.close();
  });

  const ikState = () => sandbox.app.get(InterkassaSandboxState);
  const sandboxHttp = (path: string, init?: RequestInit) => fetch(`${sandbox.url}${path}`, init);
  const sentFor = async (txId: string) =>
    (
      (await (await sandboxHttp(`/interkassa/_sandbox/requests?contains=${txId}`)).json()) as {
        data: Array<{ method: string; path: string; headers: Record<string, string>; fields: Record<string, string> }>;
      }
    ).data;
  const stored = (id: string) => t.db.getRepository(TransactionEntity).findOneByOrFail({ id });
  const inbox = (txId: string) => t.db.getRepository(CallbackInboxEntity).find({ where: { transactionId: txId } });
  // Payout callbacks arrive on /callbacks/interkassa: a rejected one names no transaction, only its body does.
  const inboxByBody = (txId: string) => t.db.getRepository(CallbackInboxEntity).find({ where: { provider: 'interkassa', rawBody: Like(`%${txId}%`) } });
  const payoutAt = (txId: string) => [...ikState().payouts.values()].find((p) => p.paymentNo === txId);

  async function ikMerchant(options: { timeoutMs?: number; account?: Record<string, unknown> } = {}): Promise<IkMerchant> {
    const merchant = await t.newMerchant();
    const r = randomToken(8).toLowerCase();
    const keys = { checkoutId: `co-${r}`, customerId: `user-${r}`, apiKey: `api-${r}`, secretKey: `sign-${r}`, accountID: `acc-${r}`, walletId: `purse-${r}` };
    await sandboxHttp('/interkassa/_sandbox/checkouts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...keys,
        testKey: `test-${r}`,
        signAlgorithm: 'sha256',
        withdrawCallbackUrl: `${t.http.baseUrl}/callbacks/interkassa`,
        purseBalance: 100000,
      }),
    });
    await t.app.get(ProviderConfigService).put(
      merchant.id,
      'interkassa',
      {
        enabled: true,
        testMode: false,
        baseUrls: { api: `${sandbox.url}/interkassa/api/v1`, sci: `${sandbox.url}/interkassa/sci` },
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        accounts: { DEFAULT: { ...keys, signAlgorithm: 'sha256', method: 'card', supportedCurrencies: 'UAH|EUR|INR', ...options.account } },
      },
      'test',
    );
    await t.app.get(RoutingService).replaceRules(merchant.id, INTERKASSA_DEMO_SEED.rules, 'test');
    return { ...merchant, keys };
  }

  async function settled(txId: string, from: TxStatus = TxStatus.REGISTERED): Promise<TransactionEntity> {
    for (let i = 0; i < 200; i++) {
      const tx = await stored(txId);
      if (tx.status !== from) return tx;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${txId} stayed ${from}`);
  }

  /** Merchant creates, an approver releases, the worker submits to Interkassa. */
  async function approvedPayout(m: IkMerchant, body: Record<string, unknown>): Promise<TransactionEntity> {
    const created = await m.api.post('/v1/withdrawals', body);
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('WAITING_APPROVAL');
    expect(await sentFor(created.body.id)).toEqual([]);
    const approved = await approver.bo.post(`/backoffice/withdrawals/${created.body.id}/approve`);
    expect(approved.status).toBe(200);
    return settled(created.body.id);
  }

  const settleAtSandbox = async (payoutId: string, state: string) =>
    (
      await sandboxHttp(`/interkassa/_sandbox/withdraw/${payoutId}/state`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ state }),
      })
    ).json() as Promise<{ callbackStatus: number | null }>;

  it('UPI payout: the exact POST /withdraw, then the signed withdrawal callback makes payhub read GET /withdraw/{id}: SUCCESSFUL', async () => {
    const m = await ikMerchant();
    const tx = await approvedPayout(m, upiPayout());
    expect(tx.status).toBe('PROCESSING');
    const payout = payoutAt(tx.id)!;
    expect(tx.providerTxId).toBe(payout.id);

    const [sent] = await sentFor(tx.id);
    expect(sent).toMatchObject({ method: 'POST', path: '/withdraw' });
    expect(sent.headers).toEqual({
      authorization: `Basic ${Buffer.from(`${m.keys.customerId}:${m.keys.apiKey}`).toString('base64')}`,
      'ik-api-account-id': m.keys.accountID,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(sent.fields).toEqual({
      amount: '1500.00',
      currency: 'inr',
      purseId: m.keys.walletId,
      useShortAlias: 'true',
      action: 'process',
      calcKey: 'psPayeeAmount',
      paymentNo: tx.id,
      method: 'upi',
      'details[account_number]': 'rahul99@okhdfc',
      'details[first_name]': 'Rahul',
      'details[last_name]': 'Shah',
      'details[phone]': '+919876543210',
      'details[email]': 'r@s.in',
    });

    const { callbackStatus } = await settleAtSandbox(payout.id, '8');
    expect(callbackStatus).toBe(200);
    expect((await stored(tx.id)).status).toBe('SUCCESSFUL');
    expect((await sentFor(payout.id)).some((r) => r.method === 'GET' && r.path === `/withdraw/${payout.id}`)).toBe(true);
    expect((await inbox(tx.id)).map((r) => r.state)).toEqual(['applied']);
  });

  it("the payout notification's other readings (named by ik_pm_no, unsigned) trigger a status check only where the account says so", async () => {
    await sandboxHttp('/interkassa/_sandbox/readings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ withdrawCallback: { idField: 'ik_pm_no', signed: false } }),
    });
    try {
      const strict = await ikMerchant();
      const refused = await approvedPayout(strict, upiPayout());
      expect((await settleAtSandbox(payoutAt(refused.id)!.id, '8')).callbackStatus).toBe(403);
      expect((await stored(refused.id)).status).toBe('PROCESSING');

      const lenient = await ikMerchant({ account: { withdrawalCallbackSigned: false } });
      const tx = await approvedPayout(lenient, upiPayout());
      expect((await settleAtSandbox(payoutAt(tx.id)!.id, '8')).callbackStatus).toBe(200);
      expect((await stored(tx.id)).status).toBe('SUCCESSFUL');
    } finally {
      await sandboxHttp('/interkassa/_sandbox/readings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    }
  });

  it('bank transfer payout: account number and IFSC; moderation rejection ends FAILED', async () => {
    const m = await ikMerchant();
    const tx = await approvedPayout(m, bankPayout());
    expect(tx.status).toBe('PROCESSING');
    expect((await sentFor(tx.id))[0].fields).toMatchObject({
      method: 'bank_transfer',
      'details[account_number]': '50100012345678',
      'details[bank_identity]': 'HDFC0000123',
      'details[account_name]': 'Rahul Shah',
    });
    await settleAtSandbox(payoutAt(tx.id)!.id, '3');
    expect(await stored(tx.id)).toMatchObject({ status: 'FAILED', failure: { providerCode: '3' } });
  });

  it('a payout Interkassa refuses (purse too low) is FAILED with its code and message', async () => {
    const m = await ikMerchant();
    const tx = await approvedPayout(m, upiPayout({ amount: 150051 }));
    expect(tx).toMatchObject({ status: 'FAILED', failure: { providerCode: '1451', providerMessage: 'Not enough money in the purse' } });
  });

  it('a payout timeout leaves it INCONSISTENT; the status check finds it by paymentNo and settles it', async () => {
    const m = await ikMerchant({ timeoutMs: 1000 });
    const tx = await approvedPayout(m, upiPayout({ amount: 50013 }));
    expect(tx.status).toBe('INCONSISTENT');
    expect(tx.providerTxId).toBeNull();
    const { tx: after } = await t.app.get(CheckStatusUseCase).check(tx.id);
    expect(after.status).toBe('SUCCESSFUL');
    expect(after.providerTxId).toBe(payoutAt(tx.id)!.id);
    expect((await sentFor(tx.id)).filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a 500 on payout creation is INCONSISTENT, never FAILED', async () => {
    const m = await ikMerchant();
    const tx = await approvedPayout(m, upiPayout({ amount: 50050 }));
    expect(tx).toMatchObject({ status: 'INCONSISTENT', failure: { code: 'PROVIDER_ERROR' } });
  });

  it('a card payout is sent inline when auto-approve covers it (the PAN never waits for approval), refused with 422 otherwise', async () => {
    const m = await ikMerchant();
    const card = { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', holder: 'JOHN DOE' };
    const refused = await m.api.post('/v1/withdrawals', deposit({ txType: 'CreditcardWithdrawal', currency: 'UAH', card }));
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'OPERATION_NOT_SUPPORTED', details: [{ field: 'txType' }] });

    const admin = (await t.newStaff(['admin'])).bo;
    await t.confirmChange(await admin.put(`/backoffice/merchants/${m.id}/payout-auto-approve`, { rules: [{ currency: 'UAH', below: 10_000_000 }] }));
    const sent = await m.api.post('/v1/withdrawals', deposit({ txType: 'CreditcardWithdrawal', currency: 'UAH', card }));
    expect(sent.status).toBe(201);
    expect(['PROCESSING', 'SUCCESSFUL']).toContain(sent.body.status);
    const requests = await sentFor(sent.body.id);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toContain('POST /withdraw');
    expect(JSON.stringify(requests)).toContain('4111111111111111');
    // payhub itself kept only the card summary.
    const row = await t.db.query('SELECT * FROM transactions WHERE id = ?', [sent.body.id]);
    expect(JSON.stringify(row)).not.toContain('4111111111111111');
  });

  it('withdrawal callbacks: a bad signature is rejected with nothing changed; parallel repeats are answered OK and applied once', async () => {
    const m = await ikMerchant();
    const tx = await approvedPayout(m, upiPayout());
    const payout = payoutAt(tx.id)!;
    payout.state = '8';
    payout.stateName = 'success';
    const fields: Record<string, string> = {
      id: payout.id,
      paymentNo: tx.id,
      purseId: payout.purseId,
      amount: payout.amount,
      currency: payout.currency,
      state: '8',
      stateName: 'success',
    };
    const post = (body: Record<string, string>) =>
      fetch(`${t.http.baseUrl}/callbacks/interkassa`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });

    const forged = await post({ ...fields, ik_sign: sandboxIkSign(fields, 'guessed-key', 'sha256') });
    expect(forged.status).toBe(403);
    const unsigned = await post(fields);
    expect(unsigned.status).toBe(403);
    expect((await stored(tx.id)).status).toBe('PROCESSING');
    expect((await inboxByBody(tx.id)).map((r) => r.state)).toEqual(['rejected', 'rejected']);

    const signed = { ...fields, ik_sign: sandboxIkSign(fields, m.keys.secretKey, 'sha256') };
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await post(signed);
        return `${res.status} ${await res.text()}`;
      }),
    );
    expect(new Set(answers)).toEqual(new Set(['200 OK']));
    expect((await stored(tx.id)).status).toBe('SUCCESSFUL');
    const changes = await t.db.getRepository(TransactionEventEntity).findBy({ transactionId: tx.id, toStatus: 'SUCCESSFUL' as never });
    expect(changes).toHaveLength(1);
    const states = (await inbox(tx.id)).map((r) => r.state);
    expect(states.filter((s) => s === 'applied')).toHaveLength(1);
  });
});
