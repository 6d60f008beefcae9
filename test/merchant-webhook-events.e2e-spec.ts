import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditLogEntity } from '@payhub/backoffice';
import { DEFAULT_WEBHOOK_EVENTS, WebhookDeliveryEntity } from '@payhub/notifications';
import { OutboxEntity, WEBHOOK_EVENT_TYPES } from '@payhub/transactions';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { deposit, TestApp } from './support/test-app';
import { TestProviderModule } from './support/test-provider';
import { waitFor, WebhookEndpoint } from './support/webhook-endpoint';

describe('webhook event selection (GET|PUT /backoffice/merchants/{id}/webhook-events)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  const endpoints: WebhookEndpoint[] = [];

  beforeAll(async () => {
    t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('webhook_events') } });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config, { extraModules: [TestProviderModule] }), { logger: false });
    await worker.init();
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    for (const endpoint of endpoints) await endpoint.close();
  });

  const auditOf = (merchantId: string) =>
    t.db.getRepository(AuditLogEntity).find({ where: { targetId: merchantId, action: 'merchant.webhook_events.update' }, order: { id: 'ASC' } });

  it('a new merchant receives every event type but transaction.created; viewers read, admins replace, audited', async () => {
    const m = await t.newMerchant(undefined, { webhookEvents: null });
    const viewer = await t.newStaff(['viewer']);
    const operator = await t.newStaff(['operator']);
    const admin = await t.newStaff(['admin']);

    const got = await viewer.bo.get(`/backoffice/merchants/${m.id}/webhook-events`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ events: [...DEFAULT_WEBHOOK_EVENTS], available: [...WEBHOOK_EVENT_TYPES] });
    expect(got.body.events).not.toContain('transaction.created');
    expect(got.body.events).toContain('transaction.succeeded');

    expect((await viewer.bo.put(`/backoffice/merchants/${m.id}/webhook-events`, { events: ['transaction.succeeded'] })).status).toBe(403);
    expect((await operator.bo.put(`/backoffice/merchants/${m.id}/webhook-events`, { events: ['transaction.succeeded'] })).status).toBe(403);

    // Stored in the order of `available`, duplicates once.
    const put = await admin.bo.put(`/backoffice/merchants/${m.id}/webhook-events`, {
      events: ['transaction.failed', 'transaction.created', 'transaction.succeeded', 'transaction.failed'],
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ events: ['transaction.created', 'transaction.succeeded', 'transaction.failed'], available: [...WEBHOOK_EVENT_TYPES] });
    expect((await viewer.bo.get(`/backoffice/merchants/${m.id}/webhook-events`)).body.events).toEqual([
      'transaction.created',
      'transaction.succeeded',
      'transaction.failed',
    ]);
    const [audit] = await auditOf(m.id);
    expect(audit).toMatchObject({
      actorId: admin.id,
      before: { events: [...DEFAULT_WEBHOOK_EVENTS] },
      after: { events: ['transaction.created', 'transaction.succeeded', 'transaction.failed'] },
    });

    const none = await admin.bo.put(`/backoffice/merchants/${m.id}/webhook-events`, { events: [] });
    expect(none.status).toBe(200);
    expect(none.body.events).toEqual([]);
  });

  it('an unknown event type, or no array, is a 400 naming the field, and changes nothing', async () => {
    const m = await t.newMerchant(undefined, { webhookEvents: null });
    const admin = await t.newStaff(['admin']);
    const unknown = await admin.bo.put(`/backoffice/merchants/${m.id}/webhook-events`, { events: ['transaction.succeeded', 'transaction.exploded', 7] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('VALIDATION_FAILED');
    expect(unknown.body.error.details).toEqual([
      { field: 'events[1]', issue: expect.stringContaining('must be one of transaction.created'), value: 'transaction.exploded' },
      { field: 'events[2]', issue: expect.stringContaining('must be one of'), value: '7' },
    ]);
    const notArray = await admin.bo.put(`/backoffice/merchants/${m.id}/webhook-events`, { events: 'transaction.succeeded' });
    expect(notArray.status).toBe(400);
    expect(notArray.body.error.details.map((d: { field: string }) => d.field)).toContain('events');
    const missing = await admin.bo.put(`/backoffice/merchants/${m.id}/webhook-events`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: { field: string }) => d.field)).toContain('events');

    expect((await admin.bo.get(`/backoffice/merchants/${m.id}/webhook-events`)).body.events).toEqual([...DEFAULT_WEBHOOK_EVENTS]);
    expect(await auditOf(m.id)).toEqual([]);
    expect((await admin.bo.get('/backoffice/merchants/mer_NOPE/webhook-events')).status).toBe(404);
    expect((await admin.bo.put('/backoffice/merchants/mer_NOPE/webhook-events', { events: [] })).status).toBe(404);
  });

  it('a deposit reaches the receiver only with the selected events: none is enqueued for the others', async () => {
    const m = await t.newMerchant(undefined, { webhookEvents: null });
    await t.routeAllTo(m.id);
    const hooks = await WebhookEndpoint.start();
    endpoints.push(hooks);
    const deliveriesOf = (transactionId: string) => t.db.getRepository(WebhookDeliveryEntity).find({ where: { transactionId }, order: { outboxId: 'ASC' } });
    const delivered = (transactionId: string, count: number) => async () => {
      const rows = await deliveriesOf(transactionId);
      return rows.length === count && rows.every((d) => d.status === 'delivered') ? rows : null;
    };
    const relayedAll = (transactionId: string) => async () => {
      const rows = await t.db.getRepository(OutboxEntity).find({ where: { transactionId }, order: { id: 'ASC' } });
      return rows.length && rows.every((row) => row.publishedAt !== null) ? rows : null;
    };

    // The default: transaction.succeeded arrives, transaction.created is never enqueued.
    const first = await m.api.post('/v1/deposits', deposit({ amount: 150004, notificationUrl: hooks.url }));
    expect(first.body.status).toBe('SUCCESSFUL');
    const [succeeded] = await waitFor(delivered(first.body.id, 1), 20000, 'the succeeded webhook');
    expect(succeeded.type).toBe('transaction.succeeded');
    const outbox = await waitFor(relayedAll(first.body.id), 20000, 'the outbox to be relayed');
    expect(outbox.map((row) => row.type)).toEqual(['transaction.created', 'transaction.succeeded']);
    expect(await deliveriesOf(first.body.id)).toHaveLength(1);
    expect(hooks.received.filter((h) => h.transactionId === first.body.id).map((h) => h.status)).toEqual(['SUCCESSFUL']);

    // Only transaction.created selected: the REGISTERED event arrives, the success is never enqueued.
    const admin = await t.newStaff(['admin']);
    expect((await admin.bo.put(`/backoffice/merchants/${m.id}/webhook-events`, { events: ['transaction.created'] })).status).toBe(200);
    const second = await m.api.post('/v1/deposits', deposit({ amount: 150004, notificationUrl: hooks.url }));
    expect(second.body.status).toBe('SUCCESSFUL');
    const [created] = await waitFor(delivered(second.body.id, 1), 20000, 'the created webhook');
    expect(created.type).toBe('transaction.created');
    await waitFor(relayedAll(second.body.id), 20000, 'the outbox to be relayed');
    await new Promise((r) => setTimeout(r, 500));
    expect(await deliveriesOf(second.body.id)).toHaveLength(1);
    expect(hooks.received.filter((h) => h.transactionId === second.body.id).map((h) => h.status)).toEqual(['REGISTERED']);

    // Nothing selected: nothing is enqueued or sent.
    expect((await admin.bo.put(`/backoffice/merchants/${m.id}/webhook-events`, { events: [] })).status).toBe(200);
    const third = await m.api.post('/v1/deposits', deposit({ amount: 150004, notificationUrl: hooks.url }));
    await waitFor(relayedAll(third.body.id), 20000, 'the outbox to be relayed');
    await new Promise((r) => setTimeout(r, 500));
    expect(await deliveriesOf(third.body.id)).toEqual([]);
    expect(hooks.received.filter((h) => h.transactionId === third.body.id)).toEqual([]);
  });
});
