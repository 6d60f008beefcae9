import { randomToken } from '@payhub/common';
import { CallbackInboxEntity, CheckStatusUseCase } from '@payhub/payments';
import { ProviderConfigService } from '@payhub/provider-config';
import { RoutingRuleDto, RoutingService } from '@payhub/routing';
import { OutboxEntity, TransactionEntity } from '@payhub/transactions';
import { interactionFields } from '../apps/sandbox/src/interkassa/interkassa-sandbox.controller';
import { InterkassaSandboxState } from '../apps/sandbox/src/interkassa/interkassa-sandbox.state';
import { KashaSandboxState } from '../apps/sandbox/src/kasha/kasha-sandbox.state';
import { sbJsonEncode, sbPostbackSignature } from '../apps/sandbox/src/paykassma/paykassma-sandbox.php';
import { pkMerchant, until, walletDeposit } from './paykassma-support';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { signTestpay } from './support/test-provider';
import { setUpInterkassa } from './support/interkassa-merchant';
import { TestSandbox } from './support/test-sandbox';

/**
 * Money a provider reports that differs from the payment's is never silently SUCCESSFUL (issue 12):
 * each provider, each path. One refund ceiling. Dedup scoped to the transaction. Test keys only for tests.
 */
describe('money safety: mismatched amounts and currencies, the refund ceiling, dedup scope, test keys', () => {
  let t: TestApp;
  let sandbox: TestSandbox;

  beforeAll(async () => {
    [t, sandbox] = await Promise.all([TestApp.start(), TestSandbox.start()]);
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  const stored = (id: string) => t.db.getRepository(TransactionEntity).findOneByOrFail({ id });
  const outbox = (txId: string) => t.db.getRepository(OutboxEntity).find({ where: { transactionId: txId }, order: { id: 'ASC' } });
  const inbox = (txId: string) => t.db.getRepository(CallbackInboxEntity).find({ where: { transactionId: txId }, order: { receivedAt: 'ASC' } });
  const postForm = (path: string, fields: Record<string, string>) =>
    fetch(`${t.http.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  function expectHeld(tx: TransactionEntity, code: 'AMOUNT_MISMATCH' | 'CURRENCY_MISMATCH', reported: { amount?: string | null; currency?: string | null }) {
    expect(tx.status).toBe('INCONSISTENT');
    expect(tx.settledAmount).toBeNull();
    expect(tx.failure).toMatchObject({ code });
    expect(tx.conflict).toMatchObject({
      code,
      reportedStatus: 'SUCCESSFUL',
      resolved: false,
      ...(reported.amount !== undefined ? { reportedAmount: reported.amount } : {}),
      ...(reported.currency !== undefined ? { reportedCurrency: reported.currency } : {}),
    });
  }

  describe('Interkassa', () => {
    let m: TestMerchant & { checkoutId: string };
    beforeAll(async () => {
      const merchant = await t.newMerchant();
      const keys = await setUpInterkassa(t, sandbox, merchant.id, { currencies: 'UAH|USD|EUR' });
      m = { ...merchant, checkoutId: keys.checkoutId };
    });

    const ik = () => sandbox.app.get(InterkassaSandboxState);
    async function openDeposit(amount = 150000) {
      const res = await m.api.post('/v1/deposits', deposit({ amount, currency: 'UAH' }));
      expect(res.body.status).toBe('WAITING_INPUT');
      const invoice = [...ik().invoices.values()].find((i) => i.paymentNo === res.body.id)!;
      return { txId: res.body.id as string, invoice, checkout: ik().checkouts.get(m.checkoutId)! };
    }

    it('a signed success callback with ik_am=1.00 for a 1500.00 UAH deposit: INCONSISTENT, AMOUNT_MISMATCH, never settled', async () => {
      const { txId, invoice, checkout } = await openDeposit();
      const res = await postForm(`/callbacks/interkassa/${txId}`, interactionFields({ ...invoice, invState: 'success', amount: '1.00' }, checkout));
      expect(res.status).toBe(200);
      expectHeld(await stored(txId), 'AMOUNT_MISMATCH', { amount: '100', currency: 'UAH' });
      const changes = await outbox(txId);
      expect((changes.at(-1)!.payload as { transaction: { status: string } }).transaction.status).toBe('INCONSISTENT');
      // Held for staff: a later genuine success does not settle it silently either.
      await postForm(`/callbacks/interkassa/${txId}`, interactionFields({ ...invoice, invState: 'process' }, checkout));
      expect((await stored(txId)).status).toBe('INCONSISTENT');
    });

    it('a signed success callback with ik_cur=USD on a UAH deposit: INCONSISTENT, CURRENCY_MISMATCH', async () => {
      const { txId, invoice, checkout } = await openDeposit();
      expect((await postForm(`/callbacks/interkassa/${txId}`, interactionFields({ ...invoice, invState: 'success', currency: 'USD' }, checkout))).status).toBe(
        200,
      );
      expectHeld(await stored(txId), 'CURRENCY_MISMATCH', { currency: 'USD' });
    });

    it('a status check whose co-invoice states another amount: INCONSISTENT, AMOUNT_MISMATCH', async () => {
      const { txId, invoice } = await openDeposit();
      Object.assign(invoice, { coState: '7', amount: '1400.00' });
      const { tx } = await t.app.get(CheckStatusUseCase).check(txId);
      expectHeld(tx, 'AMOUNT_MISMATCH', { amount: '140000', currency: 'UAH' });
    });

    it('a status check whose co-invoice states the same amount settles it', async () => {
      const { txId, invoice } = await openDeposit();
      Object.assign(invoice, { coState: '7' });
      const { tx } = await t.app.get(CheckStatusUseCase).check(txId);
      expect(tx).toMatchObject({ status: 'SUCCESSFUL', settledAmount: null, conflict: null });
    });

    it('a notification signed with the test key for a live deposit is 403, stored as rejected, nothing changed', async () => {
      const { txId, invoice, checkout } = await openDeposit();
      const res = await postForm(
        `/callbacks/interkassa/${txId}`,
        interactionFields({ ...invoice, invState: 'success', payway: 'test_interkassa_test_xts' }, checkout),
      );
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CALLBACK_SIGNATURE_INVALID');
      expect((await stored(txId)).status).toBe('WAITING_INPUT');
      expect((await inbox(txId)).map((r) => r.state)).toEqual(['rejected']);
    });
  });

  describe('Paykassma', () => {
    const activate = (m: TestMerchant, id: string, body: Record<string, unknown>) => m.api.post(`/v1/deposits/${id}/activation`, body);

    it('a postback item in USD on an INR deposit: INCONSISTENT, CURRENCY_MISMATCH', async () => {
      const m = await pkMerchant(t, sandbox, { sandboxAccount: { postbackUrl: null } });
      const created = await m.api.post('/v1/deposits', walletDeposit('paytm', 'INR', 25000));
      const list = [
        {
          amount: '250.00',
          currency_code: 'USD',
          wallet_type: 'paytm',
          stockpiling_id: 7,
          transaction_id: `U${randomToken(6)}`,
          transaction_type: 0,
          plugin_custom_order_id: created.body.id,
        },
      ];
      const body = sbJsonEncode(
        {
          signature: sbPostbackSignature(m.keys.accessKey, m.keys.privateKey, list),
          wallet_type: 'paytm',
          amount: 250,
          currency_code: 'USD',
          label: 'user-55',
          direction: 'ingoing',
          access_key: m.keys.accessKey,
          additional_data: list,
        },
        true,
      );
      const res = await t.http.post('/callbacks/paykassma', body, { 'content-type': 'application/json' });
      expect(res.status).toBe(200);
      expectHeld(await stored(created.body.id), 'CURRENCY_MISMATCH', { currency: 'USD' });
    });

    it('an underpaid activation credit (postback) without the account setting: INCONSISTENT, AMOUNT_MISMATCH', async () => {
      const m = await pkMerchant(t, sandbox);
      const created = await m.api.post('/v1/deposits', walletDeposit('phone_pe', 'INR', 30000));
      expect((await activate(m, created.body.id, { transactionNumber: `A${randomToken(8)}`, amount: 20000 })).status).toBe(201);
      expectHeld(await until(t, created.body.id, 'INCONSISTENT'), 'AMOUNT_MISMATCH', { amount: '20000', currency: 'INR' });
    });

    it('with acceptCreditedAmount the credited amount settles it SUCCESSFUL with settledAmount, and the webhook says the amount changed', async () => {
      const m = await pkMerchant(t, sandbox, { account: { acceptCreditedAmount: true } });
      const created = await m.api.post('/v1/deposits', walletDeposit('phone_pe', 'INR', 30000));
      await activate(m, created.body.id, { transactionNumber: `A${randomToken(8)}`, amount: 20000 });
      const tx = await until(t, created.body.id, 'SUCCESSFUL');
      expect(tx).toMatchObject({ amount: 30000n, settledAmount: 20000n, conflict: null });
      const last = (await outbox(tx.id)).at(-1)!.payload as { amountChanged: unknown; transaction: { status: string; settledAmount: number } };
      expect(last).toMatchObject({ amountChanged: { requested: 30000, settled: 20000 }, transaction: { status: 'SUCCESSFUL', settledAmount: 20000 } });
      expect((await m.api.get(`/v1/transactions/${tx.id}`)).body).toMatchObject({ amount: 30000, settledAmount: 20000 });
    });

    it('a status check (postback pull) that finds another credited amount: INCONSISTENT, AMOUNT_MISMATCH', async () => {
      const m = await pkMerchant(t, sandbox, { sandboxAccount: { postbackUrl: null } });
      const created = await m.api.post('/v1/deposits', walletDeposit('phone_pe', 'INR', 30000));
      await activate(m, created.body.id, { transactionNumber: `A${randomToken(8)}`, amount: 40000 });
      const { tx } = await t.app.get(CheckStatusUseCase).check(created.body.id);
      expectHeld(tx, 'AMOUNT_MISMATCH', { amount: '40000', currency: 'INR' });
    });
  });

  describe('Kasha', () => {
    async function kashaDeposit() {
      const merchant = await t.newMerchant();
      await t.app.get(ProviderConfigService).put(
        merchant.id,
        'kasha',
        {
          enabled: true,
          testMode: true,
          baseUrls: { api: `${sandbox.url}/kasha` },
          accounts: { DEFAULT: { apiKey: 'kasha-test-key', supportedCurrencies: 'BRL' } },
        },
        'test',
      );
      await t.app.get(RoutingService).replaceRules(
        merchant.id,
        [
          {
            name: 'kasha',
            priority: 10,
            enabled: true,
            when: {},
            then: { targets: [{ provider: 'kasha', account: 'DEFAULT', weight: 100 }], fallback: [] },
          } as RoutingRuleDto,
        ],
        'test',
      );
      // 300.00 BRL: Kasha asks for 3DS, so the payment waits and its result comes by status check.
      const res = await merchant.api.post('/v1/deposits', {
        merchantTxId: `ks-${randomToken(8)}`,
        userId: 'user-7',
        txType: 'CreditcardDeposit',
        amount: 30000,
        currency: 'BRL',
        country: 'BR',
        card: { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', cvv: '737', holder: 'MARIA SILVA' },
        customer: {
          email: 'maria@example.com',
          phone: '+5511999999999',
          firstName: 'Maria',
          lastName: 'Silva',
          identify: { number: '36570630563', type: 'BRA_CPF' },
        },
        browser: { userAgent: 'Mozilla/5.0', ip: '84.232.140.77' },
        redirectUrls: { success: 'https://m.example/ok' },
      });
      expect(res.body.status).toBe('WAITING_INPUT');
      const tx = await stored(res.body.id);
      return { txId: tx.id, kashaTx: sandbox.app.get(KashaSandboxState).transactions.get(tx.providerTxId!)! };
    }

    it('a status check answering COMPLETED with another paymentAmount: INCONSISTENT, AMOUNT_MISMATCH', async () => {
      const { txId, kashaTx } = await kashaDeposit();
      Object.assign(kashaTx, { status: 'COMPLETED', amount: 150 });
      const { tx } = await t.app.get(CheckStatusUseCase).check(txId);
      expectHeld(tx, 'AMOUNT_MISMATCH', { amount: '15000', currency: 'BRL' });
    });

    it('a notification (only ever a trigger) leads to the status check, which finds another amount: INCONSISTENT, AMOUNT_MISMATCH', async () => {
      const { txId, kashaTx } = await kashaDeposit();
      Object.assign(kashaTx, { status: 'COMPLETED', amount: 299.99 });
      // The body claims the full amount; it is never believed.
      const res = await t.http.post(`/callbacks/kasha/${txId}`, { merchantReference: txId, status: 'COMPLETED', paymentAmount: 300 });
      expect(res.status).toBe(200);
      expectHeld(await stored(txId), 'AMOUNT_MISMATCH', { amount: '29999', currency: 'BRL' });
    });

    it('a status check answering COMPLETED in another currency: INCONSISTENT, CURRENCY_MISMATCH', async () => {
      const { txId, kashaTx } = await kashaDeposit();
      Object.assign(kashaTx, { status: 'COMPLETED', currency: 'USD' });
      const { tx } = await t.app.get(CheckStatusUseCase).check(txId);
      expectHeld(tx, 'CURRENCY_MISMATCH', { currency: 'USD' });
    });
  });

  describe('the state machine (test provider)', () => {
    let m: TestMerchant;
    beforeAll(async () => {
      m = await t.newMerchant();
      await t.routeAllTo(m.id);
    });
    const send = (payload: Record<string, unknown>) => {
      const raw = JSON.stringify(payload);
      return t.http.post('/callbacks/testpay', raw, { 'content-type': 'application/json', 'x-testpay-signature': signTestpay(raw, 'k-123456') });
    };

    it('an amount the provider does not define as normal holds the deposit; a SUCCESSFUL one stating another amount records a conflict', async () => {
      const held = (await m.api.post('/v1/deposits', deposit({ amount: 150000 }))).body;
      await send({ txId: held.id, eventId: 'e-under', status: 'SUCCESSFUL', amount: 120000 });
      expectHeld(await stored(held.id), 'AMOUNT_MISMATCH', { amount: '120000' });

      const paid = (await m.api.post('/v1/deposits', deposit({ amount: 150000 }))).body;
      await send({ txId: paid.id, eventId: 'e-ok', status: 'SUCCESSFUL', amount: 150000, currency: 'UAH' });
      await send({ txId: paid.id, eventId: 'e-late', status: 'SUCCESSFUL', amount: 99000, currency: 'UAH' });
      expect(await stored(paid.id)).toMatchObject({
        status: 'SUCCESSFUL',
        settledAmount: null,
        conflict: { code: 'AMOUNT_MISMATCH', reportedAmount: '99000', resolved: false },
      });
    });

    it('dedup keys are scoped to the transaction: one provider event id on two payments settles both', async () => {
      const a = (await m.api.post('/v1/deposits', deposit())).body;
      const b = (await m.api.post('/v1/deposits', deposit())).body;
      for (const tx of [a, b]) expect((await send({ txId: tx.id, eventId: 'e-shared', status: 'SUCCESSFUL' })).status).toBe(200);
      expect((await stored(a.id)).status).toBe('SUCCESSFUL');
      expect((await stored(b.id)).status).toBe('SUCCESSFUL');
      expect((await inbox(b.id)).map((r) => [r.state, r.appliedKey])).toEqual([['applied', `${b.id}|e-shared`]]);
    });

    describe('one refund ceiling, settledAmount ?? amount: 20 parallel partial refunds of 100.00', () => {
      for (const [label, settled, successes] of [
        ['settled below the amount', 120000, 12],
        ['settled at the amount', null, 15],
        ['settled above the amount', 180000, 18],
      ] as const) {
        it(label, async () => {
          const tx = (await m.api.post('/v1/deposits', deposit({ amount: 150000 }))).body;
          await send({ txId: tx.id, eventId: `e-${tx.id}`, status: 'SUCCESSFUL', ...(settled ? { amount: settled, creditedAmountAllowed: true } : {}) });
          expect(await stored(tx.id)).toMatchObject({ status: 'SUCCESSFUL', settledAmount: settled === null ? null : BigInt(settled) });
          const answers = await Promise.all(
            Array.from({ length: 20 }, (_, i) => m.api.post(`/v1/transactions/${tx.id}/refunds`, { amount: 10000, merchantRefundId: `r-${tx.id}-${i}` })),
          );
          const ok = answers.filter((a) => a.status === 201);
          expect(ok).toHaveLength(successes);
          expect(ok.every((a) => a.body.status === 'SUCCESSFUL')).toBe(true);
          expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 422 && a.body.error.code === 'REFUND_EXCEEDS_AMOUNT')).toBe(true);
          const after = await stored(tx.id);
          expect(after.refundedAmount).toBe(BigInt(successes * 10000));
          expect(after.refundedAmount <= (after.settledAmount ?? after.amount)).toBe(true);
        });
      }

      it('the DB CHECK holds the same ceiling', async () => {
        const tx = (await m.api.post('/v1/deposits', deposit({ amount: 150000 }))).body;
        await send({ txId: tx.id, eventId: `e-${tx.id}`, status: 'SUCCESSFUL', amount: 180000, creditedAmountAllowed: true });
        await t.db.query('UPDATE transactions SET refunded_amount = 180000 WHERE id = ?', [tx.id]);
        await expect(t.db.query('UPDATE transactions SET refunded_amount = 180001 WHERE id = ?', [tx.id])).rejects.toThrow(
          /ck_transactions_refunded|CONSTRAINT/i,
        );
      });
    });
  });
});
