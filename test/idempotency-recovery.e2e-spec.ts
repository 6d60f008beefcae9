import { CheckStatusUseCase } from '@payhub/payments';
import { IdempotencyKeyEntity, TransactionEntity } from '@payhub/transactions';
import { ApiProcess } from './support/api-process';
import { freePort } from './support/free-port';
import { HttpClient } from './support/http-client';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { setUpInterkassa } from './support/interkassa-merchant';
import { TestSandbox } from './support/test-sandbox';
import { waitFor } from './support/webhook-endpoint';

/**
 * Stripe-style recovery (issue 12, point 6): the api is SIGKILLed while the provider holds the payment
 * (the sandbox answers a `.13` amount after 2.5 s, having taken it); a retry with the same key after
 * the restart answers with the transaction as it is now, never a stored DUPLICATE error.
 */
describe('Idempotency-Key after a crash mid-request', () => {
  let t: TestApp;
  let sandbox: TestSandbox;
  let merchant: TestMerchant;
  const apis: ApiProcess[] = [];

  beforeAll(async () => {
    [t, sandbox] = await Promise.all([TestApp.start(), TestSandbox.start()]);
    merchant = await t.newMerchant();
    await setUpInterkassa(t, sandbox, merchant.id);
  }, 60000);
  afterAll(async () => {
    for (const api of apis) await api.kill();
    await t?.close();
    await sandbox?.close();
  });

  const start = async (port: number) => {
    const api = await ApiProcess.start(port, {
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL: t.config.redisUrl,
      QUEUE_PREFIX: t.config.queuePrefix,
      PAYHUB_SECRET_KEY: t.config.secretKey,
    });
    apis.push(api);
    return { api, http: new HttpClient(api.url, { 'x-api-key': merchant.apiKey }) };
  };

  it('SIGKILL during the provider call, restart, retry: 201 with the payment as it is now; stored as that, replayed after', async () => {
    const port = await freePort();
    const first = await start(port);
    const body = deposit({ amount: 150013, currency: 'UAH' });
    const key = `crash-${body.merchantTxId}`;
    const inFlight = first.http.post('/v1/deposits', body, { 'idempotency-key': key }).catch((error: Error) => error);

    // The payment is stored and with the provider (which takes it and answers late).
    const created = await waitFor(
      () => t.db.getRepository(TransactionEntity).findOneBy({ merchantId: merchant.id, merchantTxId: body.merchantTxId as string }),
      20000,
      'the deposit row',
    );
    await waitFor(
      async () => ((await (await fetch(`${sandbox.url}/interkassa/_sandbox/requests?contains=${created.id}`)).json()) as { data: unknown[] }).data.length > 0,
      10000,
      'the provider call',
    );
    // While the first request still runs, a retry is told so.
    const meanwhile = await first.http.post('/v1/deposits', body, { 'idempotency-key': key });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    await first.api.kill('SIGKILL');
    // The merchant's first request never got an answer.
    expect(await inFlight).not.toHaveProperty('status');

    const second = await start(port);
    // Until the dead process's heartbeat lapses the key is held (409); never longer than the liveness TTL.
    const started = Date.now();
    const retry = await waitFor(
      async () => {
        const res = await second.http.post('/v1/deposits', body, { 'idempotency-key': key });
        return res.status === 409 && res.body.error.code === 'IDEMPOTENCY_IN_PROGRESS' ? null : res;
      },
      30000,
      'the retry to be answered',
    );
    expect(Date.now() - started).toBeLessThan(25000);
    expect(retry.status).toBe(201);
    const now = await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: created.id });
    expect(retry.body).toMatchObject({
      id: created.id,
      merchantTxId: body.merchantTxId,
      status: now.status,
      nextAction: now.nextAction,
      amount: 150013,
      currency: 'UAH',
    });
    expect(retry.headers.get('idempotent-replayed')).toBeNull();

    const row = await t.db.getRepository(IdempotencyKeyEntity).findOneByOrFail({ merchantId: merchant.id, key });
    expect(row).toMatchObject({ state: 'completed', responseStatus: 201 });
    expect(JSON.stringify(row.responseBody)).not.toContain('DUPLICATE_MERCHANT_TX_ID');
    expect(await t.db.getRepository(TransactionEntity).countBy({ merchantId: merchant.id, merchantTxId: body.merchantTxId as string })).toBe(1);

    // Reconciliation finds what the provider did; the key keeps answering the recovered response.
    expect((await t.app.get(CheckStatusUseCase).check(created.id)).tx.status).toBe('SUCCESSFUL');
    const replay = await second.http.post('/v1/deposits', body, { 'idempotency-key': key });
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(retry.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  }, 120000);
});
