import { randomToken } from '@payhub/common';
import { CallbackInboxEntity, CheckStatusUseCase } from '@payhub/payments';
import { ProviderConfigService } from '@payhub/provider-config';
import { ProviderRegistry } from '@payhub/providers-core';
import { PaykassmaProvider } from '@payhub/providers-paykassma';
import { TransactionEventEntity, TxStatus } from '@payhub/transactions';
import { toTransactionView } from '@payhub/payments';
import { TestApp } from './support/test-app';
import { TestSandbox } from './support/test-sandbox';
import { waitFor } from './support/webhook-endpoint';
import { PNG_1PX, pkMerchant, sandboxGet, sandboxPost, stored, until, walletDeposit } from './paykassma-support';

describe('Paykassma deposits: payhub API → sandbox over HTTP → signed postback or pull', () => {
  let t: TestApp;
  let sandbox: TestSandbox;

  beforeAll(async () => {
    sandbox = await TestSandbox.start();
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  const events = (txId: string) => t.db.getRepository(TransactionEventEntity).find({ where: { transactionId: txId }, order: { id: 'ASC' } });
  const inbox = (txId: string) => t.db.getRepository(CallbackInboxEntity).find({ where: { transactionId: txId } });
  const activate = (m: { api: TestApp['http'] }, id: string, body: Record<string, unknown>) => m.api.post(`/v1/deposits/${id}/activation`, body);

  it('activation deposit (paytm): ACTIVATE with the pay-to details, activation → PROCESSING, postback → SUCCESSFUL', async () => {
    const m = await pkMerchant(t, sandbox);
    const created = await m.api.post('/v1/deposits', walletDeposit('paytm', 'INR', 25000));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'WAITING_INPUT', provider: 'paykassma', nextAction: { type: 'ACTIVATE', fields: ['transactionNumber'] } });
    expect(created.body.nextAction.details.identifier).toMatch(/^\d{10}$/);

    const activated = await activate(m, created.body.id, { transactionNumber: `T${randomToken(8)}`, amount: 25000 });
    expect(activated.status).toBe(201);
    expect(['PROCESSING', 'SUCCESSFUL']).toContain(activated.body.status);
    const done = await until(t, created.body.id, 'SUCCESSFUL');
    expect(done.providerTxId).toMatch(/^T/);
    expect(done.providerData).toMatchObject({ paykassmaCredit: { amount: '25000', currency: 'INR' } });
    // The postback's inbox row is marked applied just after the change it carried commits.
    const rows = await waitFor(
      async () => {
        const found = await inbox(done.id);
        return found.length && found.every((r) => r.state !== 'received') ? found : null;
      },
      5000,
      'the postback to be marked in the inbox',
    );
    expect(rows.map((r) => r.state)).toEqual(['applied']);
    // The secret never reaches the stored exchange.
    expect(JSON.stringify(await events(done.id))).not.toContain(m.keys.secret);
  });

  it('a refused activation leaves the deposit waiting (422); a corrected number then goes through', async () => {
    const m = await pkMerchant(t, sandbox);
    const created = await m.api.post('/v1/deposits', walletDeposit('paytm', 'INR', 25000));
    const refused = await activate(m, created.body.id, { transactionNumber: '404-unknown' });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'ACTIVATION_REJECTED', details: [{ field: 'transactionNumber', issue: 'Transaction not found' }] });
    expect((await stored(t, created.body.id)).status).toBe('WAITING_INPUT');
    expect((await activate(m, created.body.id, { transactionNumber: `T${randomToken(8)}`, amount: 25000 })).status).toBe(201);
    await until(t, created.body.id, 'SUCCESSFUL');
    expect((await activate(m, created.body.id, { transactionNumber: 'again' })).body.error.code).toBe('ILLEGAL_TRANSITION');
  });

  it('Itau Paraguay (is_manual): possible-transaction with amount and screenshot; 6–10 digit number enforced before sending', async () => {
    const m = await pkMerchant(t, sandbox);
    const created = await m.api.post('/v1/deposits', walletDeposit('itau_ml', 'PYG', 25000));
    expect(created.body.nextAction).toMatchObject({
      type: 'ACTIVATE',
      fields: ['transactionNumber', 'amount', 'screenshot'],
      details: { 'Account name': 'Sandbox Itau Receiver' },
    });
    const short = await activate(m, created.body.id, { transactionNumber: '12345', amount: 25000, screenshot: PNG_1PX });
    expect(short.status).toBe(400);
    expect(short.body.error.details).toEqual([{ field: 'transactionNumber', issue: 'must be 6 to 10 digits (Itau transaction number)' }]);
    const noShot = await activate(m, created.body.id, { transactionNumber: '0394031' });
    expect(noShot.body.error.details.map((d: { field: string }) => d.field)).toEqual(['amount', 'screenshot']);
    // Not `500…` (the sandbox answers those with HTTP 500), whatever the clock says.
    const ok = await activate(m, created.body.id, { transactionNumber: `7${String(Date.now()).slice(-7)}`, amount: 25000, screenshot: PNG_1PX });
    expect(ok.status).toBe(201);
    const done = await until(t, created.body.id, 'SUCCESSFUL');
    expect(done.providerData).toMatchObject({ paykassmaCredit: { amount: '25000', currency: 'PYG', walletType: 'itau_ml' } });
    const request = (await events(done.id)).map((e) => JSON.stringify(e.data ?? {})).find((d) => d.includes('possible-transaction'))!;
    expect(request).toContain('<image/png, 70 bytes>');
  });

  it('Itau Paraguay: the screenshot is required even when the wallet list says uploading_payment_bill=false (the manual makes it mandatory)', async () => {
    await sandboxPost(sandbox, '/paykassma/_sandbox/readings', { itauListsPaymentBill: false });
    try {
      const m = await pkMerchant(t, sandbox);
      const created = await m.api.post('/v1/deposits', walletDeposit('itau_ml', 'PYG', 25000));
      expect(created.body.nextAction.fields).toEqual(['transactionNumber', 'amount', 'screenshot']);
      const noShot = await activate(m, created.body.id, { transactionNumber: '0394031', amount: 25000 });
      expect(noShot.status).toBe(400);
      expect(noShot.body.error.details.map((d: { field: string }) => d.field)).toEqual(['screenshot']);
    } finally {
      await sandboxPost(sandbox, '/paykassma/_sandbox/readings', {});
    }
  });

  it("activation deposits reuse the account's wallet list instead of fetching it for every deposit", async () => {
    const m = await pkMerchant(t, sandbox);
    const before = (await sandboxGet(sandbox, '/paykassma/_sandbox/stats')).availableCalls;
    for (const amount of [25000, 26000, 27000])
      expect((await m.api.post('/v1/deposits', walletDeposit('paytm', 'INR', amount))).body.status).toBe('WAITING_INPUT');
    expect((await sandboxGet(sandbox, '/paykassma/_sandbox/stats')).availableCalls - before).toBe(1);
  });

  it('possible_transaction_created and the 400 "check of deposit status started" are pending, not failures; the later approval credits', async () => {
    const m = await pkMerchant(t, sandbox);
    for (const prefix of ['777', '400']) {
      const created = await m.api.post('/v1/deposits', walletDeposit('phone_pe', 'INR', 30000));
      const key1 = `${prefix}${randomToken(6)}`;
      const res = await activate(m, created.body.id, { transactionNumber: key1, amount: 30000 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'PROCESSING', failure: null });
      expect((await stored(t, created.body.id)).providerData).toMatchObject({
        paykassma: { activation: { answer: prefix === '777' ? 'possible_transaction_created' : 'status_check_started' } },
      });
      expect((await sandboxPost(sandbox, `/paykassma/_sandbox/held/${m.keys.secret}/${key1}/approve`)).status).toBe(201);
      await until(t, created.body.id, 'SUCCESSFUL');
    }
  });

  it('activation timeout → INCONSISTENT, 500 → INCONSISTENT; the late postback still settles the first', async () => {
    // The sandbox credits 500 INR when the activation names no amount: the account accepts credited amounts.
    const m = await pkMerchant(t, sandbox, { account: { acceptCreditedAmount: true } });
    const slow = await m.api.post('/v1/deposits', walletDeposit('paytm', 'INR', 25000));
    const timedOut = await activate(m, slow.body.id, { transactionNumber: `999${randomToken(6)}` });
    expect(timedOut.body).toMatchObject({ status: 'INCONSISTENT', failure: { code: 'PROVIDER_ERROR' } });
    const broken = await m.api.post('/v1/deposits', walletDeposit('paytm', 'INR', 25000));
    expect((await activate(m, broken.body.id, { transactionNumber: `500${randomToken(6)}` })).body.status).toBe('INCONSISTENT');
    await until(t, slow.body.id, 'SUCCESSFUL', 10000);
  });

  it('savings: three small deposits stockpile until the minimum; one postback settles all three, and 100 parallel repeats credit nothing twice', async () => {
    const m = await pkMerchant(t, sandbox);
    const userId = `saver-${randomToken(6)}`;
    const ids: string[] = [];
    for (const [i, amount] of [4000, 3000, 5000].entries()) {
      const created = await m.api.post('/v1/deposits', walletDeposit('phone_pe', 'INR', amount, { userId }));
      ids.push(created.body.id);
      expect((await activate(m, created.body.id, { transactionNumber: `S${randomToken(8)}`, amount })).status).toBe(201);
      if (i === 1) {
        // 40 + 30 INR is below the 100 INR minimum: nothing is credited, deposit-info shows the savings.
        await new Promise((r) => setTimeout(r, 200));
        expect((await stored(t, ids[0])).status).toBe('PROCESSING');
        const { tx } = await t.app.get(CheckStatusUseCase).check(ids[1]);
        expect(tx.status).toBe('PROCESSING');
        expect(tx.providerData).toMatchObject({ paykassmaSavings: { stockpilingSum: 70, lacksSum: 30, minimumDeposit: 100 } });
      }
    }
    for (const id of ids) await until(t, id, 'SUCCESSFUL');
    const deliveries = (await sandboxGet(sandbox, `/paykassma/_sandbox/postbacks?secret=${m.keys.secret}`)).data as Array<{ body: string }>;
    expect(deliveries).toHaveLength(1);
    const stockpiled = JSON.parse(deliveries[0].body);
    expect(stockpiled.additional_data.map((i: { plugin_custom_order_id: string }) => i.plugin_custom_order_id)).toEqual(ids);
    expect(new Set(stockpiled.additional_data.map((i: { stockpiling_id: number }) => i.stockpiling_id)).size).toBe(1);
    expect(await Promise.all(ids.map(async (id) => (await stored(t, id)).providerData))).toMatchObject([
      { paykassmaCredit: { amount: '4000' } },
      { paykassmaCredit: { amount: '3000' } },
      { paykassmaCredit: { amount: '5000' } },
    ]);

    const answers = await Promise.all(
      Array.from({ length: 100 }, () => t.http.post('/callbacks/paykassma', deliveries[0].body, { 'content-type': 'application/json' })),
    );
    expect(new Set(answers.map((a) => `${a.status} ${a.text}`))).toEqual(new Set(['200 {"status":"ok"}']));
    for (const id of ids) {
      const credits = (await events(id)).filter((e) => e.toStatus === TxStatus.SUCCESSFUL && e.fromStatus !== TxStatus.SUCCESSFUL);
      expect(credits).toHaveLength(1);
    }
  });

  it('redirect deposits: bkash_api and nagad_api → REDIRECT; paying on the page → postback → SUCCESSFUL; an unpaid one stays waiting', async () => {
    const m = await pkMerchant(t, sandbox);
    const bkash = await m.api.post('/v1/deposits', walletDeposit('bkash_api', 'BDT', 10000, { wallet: { account: '01770618575' } }));
    expect(bkash.body).toMatchObject({ status: 'WAITING_INPUT', nextAction: { type: 'REDIRECT', method: 'GET' } });
    expect(bkash.body.nextAction.url).toContain('/paykassma/_sandbox/checkout/');
    const nagad = await m.api.post('/v1/deposits', walletDeposit('nagad_api', 'BDT', 10000));
    expect(nagad.body.nextAction.type).toBe('REDIRECT');

    expect((await fetch(`${bkash.body.nextAction.url}?result=success`, { method: 'POST' })).ok).toBe(true);
    const done = await until(t, bkash.body.id, 'SUCCESSFUL');
    expect(done.providerTxId).toMatch(/^R/);
    await fetch(`${nagad.body.nextAction.url}?result=fail`, { method: 'POST' });
    await new Promise((r) => setTimeout(r, 200));
    expect((await stored(t, nagad.body.id)).status).toBe('WAITING_INPUT');
  });

  it('redirect deposit failures: a bad bKash number is refused before sending; below the minimum Paykassma refuses', async () => {
    const m = await pkMerchant(t, sandbox);
    const bad = await m.api.post('/v1/deposits', walletDeposit('bkash_api', 'BDT', 10000, { wallet: { account: '12345' } }));
    expect(bad.body).toMatchObject({ status: 'FAILED', failure: { code: 'INVALID_REQUEST' } });
    expect(bad.body.failure.reason).toContain('wallet.account');
    const low = await m.api.post('/v1/deposits', walletDeposit('nagad_api', 'BDT', 2000));
    expect(low.body).toMatchObject({ status: 'FAILED', failure: { code: 'INVALID_REQUEST', providerMessage: 'Amount is less than the minimum deposit (50)' } });
  });

  it('payment window: plugin URL as nextAction with hashed redirect URLs, hashed once per URL set (cached)', async () => {
    const m = await pkMerchant(t, sandbox, { account: { paymentWindow: true, language: 'es' } });
    const before = (await sandboxGet(sandbox, '/paykassma/_sandbox/stats')).hashUrlCalls as number;
    const first = await m.api.post('/v1/deposits', walletDeposit('itau_ml', 'PYG', 50000));
    const second = await m.api.post('/v1/deposits', walletDeposit('itau_ml', 'PYG', 60000));
    expect((await sandboxGet(sandbox, '/paykassma/_sandbox/stats')).hashUrlCalls).toBe(before + 1);
    const url = new URL(first.body.nextAction.url);
    expect(first.body).toMatchObject({ status: 'WAITING_INPUT', nextAction: { type: 'REDIRECT', method: 'GET' } });
    expect(url.pathname).toBe('/paykassma/plugin');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      label: 'user-55',
      currency_code: 'PYG',
      lang: 'es',
      wallet_type: 'itau_ml',
      custom_transaction_id: first.body.id,
      fixed_amount: '50000',
    });
    expect(url.searchParams.get('success_url')).toMatch(/^[0-9a-f]{64}$/);
    expect(new URL(second.body.nextAction.url).searchParams.get('success_url')).toBe(url.searchParams.get('success_url'));
    expect((await fetch(first.body.nextAction.url)).status).toBe(200);
  });

  it('a wrong plugin secret is a 404 at Paykassma: FAILED and certainly not taken (nothing created)', async () => {
    const wrong = await pkMerchant(t, sandbox, { account: { pluginApiSecret: 'not-known-to-paykassma' } });
    const res = await wrong.api.post('/v1/deposits', walletDeposit('paytm', 'INR', 25000));
    // A refused secret is the provider configuration's failure, as Kasha's refused API key (issue 15).
    expect(res.body).toMatchObject({ status: 'FAILED', failure: { code: 'PROVIDER_ERROR' } });
    const raw = JSON.stringify(await events(res.body.id));
    expect(raw).toContain('secret=***');
    expect(raw).not.toContain('not-known-to-paykassma');
  });

  it('status check by `postback` and batch by `pullpostbacks` settle deposits whose postback never arrived', async () => {
    // The sandbox credits 500 INR when the activation names no amount: the account accepts credited amounts.
    const m = await pkMerchant(t, sandbox, { sandboxAccount: { postbackUrl: null }, account: { acceptCreditedAmount: true } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await m.api.post('/v1/deposits', walletDeposit('paytm', 'INR', 20000));
      await activate(m, created.body.id, { transactionNumber: `P${randomToken(8)}` });
      ids.push(created.body.id);
    }
    const waiting = await m.api.post('/v1/deposits', walletDeposit('paytm', 'INR', 20000));
    expect((await stored(t, ids[0])).status).toBe('PROCESSING');

    const { tx } = await t.app.get(CheckStatusUseCase).check(ids[0]);
    expect(tx).toMatchObject({ status: 'SUCCESSFUL', amount: 20000n, settledAmount: 50000n, providerData: { paykassmaCredit: { amount: '50000' } } });

    const provider = t.app.get(ProviderRegistry).get('paykassma') as PaykassmaProvider;
    const account = await t.app.get(ProviderConfigService).resolveAccount(m.id, 'paykassma', 'DEFAULT');
    const views = await Promise.all([...ids.slice(1), waiting.body.id].map(async (id) => toTransactionView(await stored(t, id))));
    const outcomes = await provider.checkStatusBatch(views, account);
    expect(outcomes.get(ids[1])?.status).toBe('SUCCESSFUL');
    expect(outcomes.get(ids[2])?.amount).toBe(50000n);
    expect(outcomes.get(waiting.body.id)?.status).toBe('WAITING_INPUT');
  });

  it('available payment systems with is_manual, uploading_payment_bill and media hints; balances summed per currency', async () => {
    const m = await pkMerchant(t, sandbox);
    const provider = t.app.get(ProviderRegistry).get('paykassma');
    const account = await t.app.get(ProviderConfigService).resolveAccount(m.id, 'paykassma', 'DEFAULT');
    const pyg = await provider.paymentMethods!(account, { direction: 'DEPOSIT', currency: 'PYG', country: 'PY', userId: 'user-55' });
    expect(pyg).toEqual([
      {
        txType: 'WalletDeposit',
        service: 'itau_ml',
        name: 'Itau Paraguay Manual',
        currency: 'PYG',
        logo: expect.stringContaining('itau_ml'),
        inputFields: [
          { field: 'activation.transactionNumber', required: true },
          { field: 'activation.amount', required: true },
          { field: 'activation.screenshot', required: true },
        ],
        minAmount: 10000n,
        hints: { isManual: true, uploadingPaymentBill: true, needsActivation: true, mediaHint: expect.stringContaining('itau_ml.mp4') },
      },
    ]);
    const bdt = await provider.paymentMethods!(account, { direction: 'DEPOSIT', currency: 'BDT', country: 'BD' });
    expect(bdt.map((w) => [w.service, w.hints?.needsActivation])).toEqual([
      ['bkash', true],
      ['nagad', true],
      ['bkash_api', false],
      ['nagad_api', false],
    ]);
    expect(await provider.getBalances!(account)).toEqual(
      expect.arrayContaining([
        { currency: 'INR', amount: 100000000n },
        { currency: 'PYG', amount: 100000000n },
      ]),
    );
  });

  it('GET /v1/payment-methods shows what Paykassma lists now, with its hints, and hides rule services it does not list', async () => {
    const m = await pkMerchant(t, sandbox);
    const pyg = await m.api.get('/v1/payment-methods?direction=DEPOSIT&currency=PYG&country=PY');
    expect(pyg.status).toBe(200);
    expect(pyg.body.data).toEqual([
      expect.objectContaining({
        txType: 'WalletDeposit',
        service: 'itau_ml',
        logo: expect.stringContaining('itau_ml'),
        hints: expect.objectContaining({ isManual: true, uploadingPaymentBill: true, needsActivation: true }),
        inputFields: expect.arrayContaining([
          { field: 'activation.transactionNumber', required: true },
          { field: 'activation.screenshot', required: true },
        ]),
      }),
    ]);

    const provider = t.app.get(ProviderRegistry).get('paykassma');
    const account = await t.app.get(ProviderConfigService).resolveAccount(m.id, 'paykassma', 'DEFAULT');
    const listed = new Set((await provider.paymentMethods!(account, { direction: 'DEPOSIT', currency: 'INR', country: 'IN' })).map((w) => w.service));
    const ruleServices = ['paytm', 'phone_pe', 'upi_p2p', 'upi_ib', 'imps_ib'];
    const inr = await m.api.get('/v1/payment-methods?direction=DEPOSIT&currency=INR&country=IN');
    const shown = inr.body.data.map((method: { service: string }) => method.service).sort();
    expect(shown).toEqual(ruleServices.filter((service) => listed.has(service)).sort());
    expect(ruleServices.some((service) => !listed.has(service))).toBe(true);
    for (const method of inr.body.data) expect(Object.keys(method)).not.toEqual(expect.arrayContaining(['provider']));
    expect(JSON.stringify(inr.body)).not.toContain('DEFAULT');
  });
});
