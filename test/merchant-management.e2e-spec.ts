import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditLogEntity } from '@payhub/backoffice';
import { MerchantsService } from '@payhub/merchants';
import { TransactionStateService, TxStatus, WEBHOOK_EVENT_TYPES } from '@payhub/transactions';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { TestApp } from './support/test-app';
import { TestProviderModule } from './support/test-provider';
import { waitFor, WebhookEndpoint } from './support/webhook-endpoint';
import { documentedVerifier, transactionThrough } from './support/webhook-fixtures';

describe('merchant management (GET/PATCH merchant, webhook secret rotation)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  const endpoints: WebhookEndpoint[] = [];

  beforeAll(async () => {
    t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('merchant_mgmt') } });
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(t.config, { extraModules: [TestProviderModule], notifications: { retryDelaysMs: [300], timeoutMs: 2000 } }),
      { logger: false },
    );
    await worker.init();
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    for (const endpoint of endpoints) await endpoint.close();
  });

  const endpoint = async () => {
    const e = await WebhookEndpoint.start();
    endpoints.push(e);
    return e;
  };
  const auditOf = (merchantId: string) => t.db.getRepository(AuditLogEntity).find({ where: { targetId: merchantId }, order: { id: 'ASC' } });

  it('GET answers one merchant to any staff role, 404 MERCHANT_NOT_FOUND for an unknown id', async () => {
    const m = await t.newMerchant();
    const viewer = await t.newStaff(['viewer']);
    const res = await viewer.bo.get(`/backoffice/merchants/${m.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: m.id,
      name: expect.any(String),
      status: 'active',
      webhookUrl: null,
      previousWebhookSecretExpiresAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toContain(m.webhookSecret);
    const missing = await viewer.bo.get('/backoffice/merchants/mer_NOPE');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('MERCHANT_NOT_FOUND');
  });

  it('PATCH changes name and webhook URL (validated, audited, admin only); null removes the URL', async () => {
    const m = await t.newMerchant();
    const taken = await t.newMerchant();
    const admin = await t.newStaff(['admin']);
    const operator = await t.newStaff(['operator']);

    expect((await operator.bo.patch(`/backoffice/merchants/${m.id}`, { name: 'x' })).status).toBe(403);
    const bad = await admin.bo.patch(`/backoffice/merchants/${m.id}`, { webhookUrl: 'not a url', name: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['name', 'webhookUrl']);
    const empty = await admin.bo.patch(`/backoffice/merchants/${m.id}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.details).toEqual([{ field: 'body', issue: 'must change at least one of name, status, webhookUrl' }]);
    const clash = await admin.bo.patch(`/backoffice/merchants/${m.id}`, { name: (await t.app.get(MerchantsService).get(taken.id)).name });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: 'MERCHANT_NAME_TAKEN', details: [{ field: 'name', issue: 'is taken' }] });

    const newName = `renamed-${m.id.slice(-6)}`;
    const ok = await admin.bo.patch(`/backoffice/merchants/${m.id}`, { name: newName, webhookUrl: 'https://shop.example/hooks/payhub' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: m.id, name: newName, webhookUrl: 'https://shop.example/hooks/payhub', status: 'active' });
    expect((await admin.bo.get(`/backoffice/merchants/${m.id}`)).body).toMatchObject({ name: newName, webhookUrl: 'https://shop.example/hooks/payhub' });

    const cleared = await admin.bo.patch(`/backoffice/merchants/${m.id}`, { webhookUrl: null });
    expect(cleared.body.webhookUrl).toBeNull();

    const audit = await auditOf(m.id);
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ['merchant.update', admin.id],
      ['merchant.update', admin.id],
    ]);
    expect(audit[0].before).toMatchObject({ webhookUrl: null });
    expect(audit[0].after).toMatchObject({ name: newName, webhookUrl: 'https://shop.example/hooks/payhub' });
    expect(audit[1].after).toMatchObject({ webhookUrl: null });
  });

  it('a changed webhook URL is where the next webhook goes', async () => {
    const first = await endpoint();
    const second = await endpoint();
    const created = await t.app.get(MerchantsService).create({ name: `moving-${Date.now()}`, webhookUrl: first.url, webhookEvents: [...WEBHOOK_EVENT_TYPES] });
    const admin = await t.newStaff(['admin']);
    const state = t.app.get(TransactionStateService);
    await transactionThrough(state, created.merchant.id, [TxStatus.REGISTERED]);
    await waitFor(async () => first.received.length === 1, 15000, 'the webhook at the first URL');
    // Warm the worker's cache of the merchant, then move the URL: the change is announced, not waited out.
    expect((await admin.bo.patch(`/backoffice/merchants/${created.merchant.id}`, { webhookUrl: second.url })).status).toBe(200);
    await transactionThrough(state, created.merchant.id, [TxStatus.REGISTERED]);
    await waitFor(async () => second.received.length === 1, 15000, 'the webhook at the second URL');
    expect(first.received).toHaveLength(1);
  });

  it('rotation shows the new secret once; during the grace period webhooks carry v1=<new>,v1=<old>; after it only the new', async () => {
    const hooks = await endpoint();
    const created = await t.app.get(MerchantsService).create({ name: `rolling-${Date.now()}`, webhookUrl: hooks.url, webhookEvents: [...WEBHOOK_EVENT_TYPES] });
    const oldSecret = created.webhookSecret;
    const id = created.merchant.id;
    const admin = await t.newStaff(['admin']);
    const operator = await t.newStaff(['operator']);
    const state = t.app.get(TransactionStateService);
    const verify = documentedVerifier();

    expect((await operator.bo.post(`/backoffice/merchants/${id}/webhook-secret/rotate`, {})).status).toBe(403);
    expect((await admin.bo.post(`/backoffice/merchants/${id}/webhook-secret/rotate`, { gracePeriodSeconds: -1 })).status).toBe(400);

    const rotated = await admin.bo.post(`/backoffice/merchants/${id}/webhook-secret/rotate`, {});
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.webhookSecret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    const graceUntil = Date.parse(rotated.body.merchant.previousWebhookSecretExpiresAt);
    expect(graceUntil - Date.now()).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(graceUntil - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    // Shown once: reading the merchant never gives either secret.
    const read = await admin.bo.get(`/backoffice/merchants/${id}`);
    expect(JSON.stringify(read.body)).not.toContain(newSecret);
    expect(JSON.stringify(read.body)).not.toContain(oldSecret);

    await transactionThrough(state, id, [TxStatus.REGISTERED]);
    const [during] = await waitFor(async () => (hooks.received.length === 1 ? hooks.received : null), 15000, 'a webhook during the grace period');
    expect(during.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verify(during.rawBody, during.signature, newSecret)).toBe(true);
    expect(verify(during.rawBody, during.signature, oldSecret)).toBe(true);
    const [, firstV1] = during.signature.split(',');
    expect(verify(during.rawBody, `${during.signature.split(',')[0]},${firstV1}`, newSecret)).toBe(true);

    // A rotation with no grace retires the replaced secret (the one issued above) at once.
    const again = await admin.bo.post(`/backoffice/merchants/${id}/webhook-secret/rotate`, { gracePeriodSeconds: 0 });
    expect(again.status).toBe(200);
    expect(again.body.merchant.previousWebhookSecretExpiresAt).toBeNull();
    const newest: string = again.body.webhookSecret;
    await transactionThrough(state, id, [TxStatus.REGISTERED]);
    const after = await waitFor(async () => (hooks.received.length === 2 ? hooks.received[1] : null), 15000, 'a webhook after the grace period');
    expect(after.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verify(after.rawBody, after.signature, newest)).toBe(true);
    expect(verify(after.rawBody, after.signature, newSecret)).toBe(false);
    expect(verify(after.rawBody, after.signature, oldSecret)).toBe(false);

    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(['merchant.webhook_secret.rotate', 'merchant.webhook_secret.rotate']);
    expect(JSON.stringify(audit)).not.toContain(newSecret);
  });
});
