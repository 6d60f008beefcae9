import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditLogEntity } from '@payhub/backoffice';
import { MerchantsService } from '@payhub/merchants';
import { WebhookAttemptEntity, WebhookDeliveryEntity } from '@payhub/notifications';
import { OutboxEntity, TransactionStateService, TxStatus, WEBHOOK_EVENT_TYPES } from '@payhub/transactions';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { TestApp } from './support/test-app';
import { TestProviderModule } from './support/test-provider';
import { waitFor, WebhookEndpoint } from './support/webhook-endpoint';
import { documentedVerifier, transactionThrough } from './support/webhook-fixtures';

const { REGISTERED, PROCESSING, SUCCESSFUL } = TxStatus;
const RETRY_DELAYS_MS = [300, 300, 300];

describe('merchant webhooks', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let state: TransactionStateService;
  const endpoints: WebhookEndpoint[] = [];

  beforeAll(async () => {
    t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('webhooks') } });
    state = t.app.get(TransactionStateService);
    // The real worker, in-process, on the api's queues: timers tick, processors run; only the retry schedule is short.
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(t.config, { extraModules: [TestProviderModule], notifications: { retryDelaysMs: RETRY_DELAYS_MS, timeoutMs: 2000 } }),
      { logger: false },
    );
    await worker.init();
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    for (const endpoint of endpoints) await endpoint.close();
  });

  const endpoint = async (reply?: Parameters<typeof WebhookEndpoint.start>[0]) => {
    const e = await WebhookEndpoint.start(reply);
    endpoints.push(e);
    return e;
  };
  const deliveriesOf = (transactionId: string) => t.db.getRepository(WebhookDeliveryEntity).find({ where: { transactionId }, order: { outboxId: 'ASC' } });
  const attemptsOf = (deliveryId: string) => t.db.getRepository(WebhookAttemptEntity).find({ where: { deliveryId }, order: { id: 'ASC' } });
  const allSettled = (transactionId: string, count: number) => async () => {
    const rows = await deliveriesOf(transactionId);
    return rows.length === count && rows.every((d) => d.status !== 'pending') ? rows : null;
  };

  it('retries an endpoint that fails 3 times, then delivers exactly once more, signed as documented', async () => {
    const merchant = await t.newMerchant();
    const hooks = await endpoint((_hook, nth) => (nth <= 3 ? { status: 503, body: `down for maintenance #${nth}` } : { status: 200 }));
    const tx = await transactionThrough(state, merchant.id, [REGISTERED], { notificationUrl: hooks.url });

    const [delivery] = await waitFor(allSettled(tx.id, 1), 15000, 'the delivery to settle');
    await new Promise((r) => setTimeout(r, 1000));

    expect(delivery.status).toBe('delivered');
    const received = hooks.of(delivery.eventId);
    expect(received).toHaveLength(4);
    expect(hooks.received).toHaveLength(4);
    const attempts = await attemptsOf(delivery.id);
    expect(attempts.map((a) => [a.attemptNo, a.outcome, a.statusCode])).toEqual([
      [1, 'http_error', 503],
      [2, 'http_error', 503],
      [3, 'http_error', 503],
      [4, 'delivered', 200],
    ]);
    expect(attempts[0].responseExcerpt).toBe('down for maintenance #1');
    expect(attempts.every((a) => a.latencyMs >= 0 && a.url === hooks.url)).toBe(true);
    // Retries wait as scheduled.
    for (let i = 1; i < received.length; i++) expect(received[i].receivedAt - received[i - 1].receivedAt).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[i - 1] - 20);

    const verify = documentedVerifier();
    for (const hook of received) {
      expect(verify(hook.rawBody, hook.signature, merchant.webhookSecret)).toBe(true);
      expect(verify(hook.rawBody.replace('"REGISTERED"', '"SUCCESSFUL"'), hook.signature, merchant.webhookSecret)).toBe(false);
      expect(verify(hook.rawBody, hook.signature, 'whsec_someone-else')).toBe(false);
    }
    const body = JSON.parse(received[3].rawBody);
    const outbox = await t.db.getRepository(OutboxEntity).findOneByOrFail({ eventId: delivery.eventId });
    expect(body).toEqual(JSON.parse(JSON.stringify(outbox.payload)));
    expect(body).toMatchObject({
      eventId: delivery.eventId,
      type: 'transaction.created',
      createdAt: outbox.createdAt.toISOString(),
      previousStatus: null,
      transaction: { id: tx.id, status: 'REGISTERED', amount: 1000 },
    });
  });

  it("delivers a transaction's events in order, one at a time, to the merchant's URL when the transaction has none", async () => {
    const hooks = await endpoint((hook, nth) => (hook.status === 'REGISTERED' && nth <= 2 ? { status: 500 } : { status: 200, delayMs: 50 }));
    const created = await t.app.get(MerchantsService).create({ name: 'hooked', webhookUrl: hooks.url, webhookEvents: [...WEBHOOK_EVENT_TYPES] });
    const tx = await transactionThrough(state, created.merchant.id, [REGISTERED, PROCESSING, SUCCESSFUL]);

    const deliveries = await waitFor(allSettled(tx.id, 3), 15000, 'three deliveries to settle');
    expect(deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
    // The first event failed twice; the later ones waited for it instead of overtaking it.
    expect(hooks.received.map((h) => h.status)).toEqual(['REGISTERED', 'REGISTERED', 'REGISTERED', 'PROCESSING', 'SUCCESSFUL']);
    expect(hooks.received.map((h) => h.previousStatus)).toEqual([null, null, null, 'REGISTERED', 'PROCESSING']);
    expect(hooks.maxInFlightPerTransaction).toBe(1);
  });

  it('marks a delivery failed when the schedule is used up; operators resend one or all failed, audited', async () => {
    let up = false;
    const hooks = await endpoint(() => (up ? { status: 204 } : { status: 500 }));
    const merchant = await t.newMerchant();
    const a = await transactionThrough(state, merchant.id, [REGISTERED], { notificationUrl: hooks.url });
    const b = await transactionThrough(state, merchant.id, [REGISTERED], { notificationUrl: hooks.url });
    const [failedA] = await waitFor(allSettled(a.id, 1), 15000, 'a to fail');
    const [failedB] = await waitFor(allSettled(b.id, 1), 15000, 'b to fail');
    expect([failedA.status, failedB.status]).toEqual(['failed', 'failed']);
    expect(await attemptsOf(failedA.id)).toHaveLength(RETRY_DELAYS_MS.length + 1);

    const operator = await t.newStaff(['operator']);
    const viewer = await t.newStaff(['viewer']);
    expect((await viewer.bo.get(`/backoffice/webhook-deliveries?merchantId=${merchant.id}`)).status).toBe(403);

    const page1 = await operator.bo.get(`/backoffice/webhook-deliveries?merchantId=${merchant.id}&status=failed&limit=1`);
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({
      data: [{ id: failedB.id, status: 'failed', attemptCount: 4, lastStatusCode: 500 }],
      hasMore: true,
      nextCursor: failedB.id,
    });
    const page2 = await operator.bo.get(
      `/backoffice/webhook-deliveries?merchantId=${merchant.id}&status=failed&limit=1&startingAfter=${page1.body.nextCursor}`,
    );
    expect(page2.body).toMatchObject({ data: [{ id: failedA.id }], hasMore: false, nextCursor: null });
    expect((await operator.bo.get('/backoffice/webhook-deliveries?status=lost')).status).toBe(400);

    up = true;
    const resent = await operator.bo.post(`/backoffice/webhook-deliveries/${failedA.id}/resend`);
    expect(resent.status).toBe(202);
    expect(resent.body).toMatchObject({ id: failedA.id, status: 'pending' });
    await waitFor(allSettled(a.id, 1), 15000, 'the resend');
    const detail = await operator.bo.get(`/backoffice/webhook-deliveries/${failedA.id}`);
    expect(detail.body.status).toBe('delivered');
    expect(detail.body.attempts.map((x: { outcome: string; kind: string }) => [x.outcome, x.kind]).slice(-2)).toEqual([
      ['http_error', 'auto'],
      ['delivered', 'resend'],
    ]);
    expect((await operator.bo.post(`/backoffice/webhook-deliveries/${failedA.id}/resend`)).status).toBe(202);
    expect((await operator.bo.post('/backoffice/webhook-deliveries/whd_NOPE/resend')).status).toBe(404);

    const all = await operator.bo.post('/backoffice/webhook-deliveries/resend-failed', { merchantId: merchant.id });
    expect(all.status).toBe(202);
    expect(all.body).toEqual({ resent: 1, deliveryIds: [failedB.id] });
    const [deliveredB] = await waitFor(allSettled(b.id, 1), 15000, 'resend-failed');
    expect(deliveredB.status).toBe('delivered');

    const audit = await t.db.getRepository(AuditLogEntity).find({ where: [{ targetId: failedA.id }, { targetId: merchant.id }], order: { id: 'ASC' } });
    expect(audit.map((r) => [r.action, r.actorId])).toEqual([
      ['webhook_delivery.resend', operator.id],
      ['webhook_delivery.resend', operator.id],
      ['webhook_delivery.resend_failed', operator.id],
    ]);
  });

  it('publishes each outbox row once: a relay that crashed before marking rows published sends nothing twice', async () => {
    const hooks = await endpoint();
    const merchant = await t.newMerchant();
    const tx = await transactionThrough(state, merchant.id, [REGISTERED, PROCESSING], { notificationUrl: hooks.url });
    await waitFor(async () => (await deliveriesOf(tx.id)).filter((d) => d.status === 'delivered').length === 2, 15000, 'two deliveries');
    // As if the relay died between enqueueing and marking published: the rows are relayed again.
    await t.db.query('UPDATE outbox SET published_at = NULL WHERE transaction_id = ?', [tx.id]);
    await waitFor(
      async () => (await t.db.getRepository(OutboxEntity).findBy({ transactionId: tx.id })).every((o) => o.publishedAt),
      10000,
      'the outbox to be relayed again',
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(hooks.received.map((h) => h.status)).toEqual(['REGISTERED', 'PROCESSING']);
    expect(await deliveriesOf(tx.id)).toHaveLength(2);
  });

  it('skips an event nobody can receive, without an attempt', async () => {
    const merchant = await t.newMerchant();
    const tx = await transactionThrough(state, merchant.id, [REGISTERED]);
    const [skipped] = await waitFor(allSettled(tx.id, 1), 15000, 'the delivery to settle');
    expect(skipped).toMatchObject({ status: 'skipped', attemptCount: 0 });
    expect(await attemptsOf(skipped.id)).toEqual([]);
  });
});
