import { createHash, createHmac } from 'node:crypto';
import { SecretBox } from '@payhub/common';
import { canonicalJson, IdempotencyKeyEntity, TransactionEntity } from '@payhub/transactions';
import { deposit, TestApp, TestMerchant } from './support/test-app';

describe('Idempotency-Key over HTTP', () => {
  let t: TestApp;
  let merchant: TestMerchant;

  beforeAll(async () => {
    t = await TestApp.start();
    merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
  });
  afterAll(() => t.close());

  const countFor = (merchantTxId: string) => t.db.getRepository(TransactionEntity).countBy({ merchantId: merchant.id, merchantTxId });

  it('replays the first response byte for byte for the same key and body', async () => {
    const body = deposit();
    const first = await merchant.api.post('/v1/deposits', body, { 'idempotency-key': 'key-replay' });
    const second = await merchant.api.post('/v1/deposits', body, { 'idempotency-key': 'key-replay' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await countFor(body.merchantTxId as string)).toBe(1);
  });

  it('treats a body with reordered keys as the same request', async () => {
    const body = deposit();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const first = await merchant.api.post('/v1/deposits', body, { 'idempotency-key': 'key-order' });
    const second = await merchant.api.post('/v1/deposits', reordered, { 'idempotency-key': 'key-order' });
    expect(second.text).toBe(first.text);
  });

  it('refuses the same key with another body: 422 IDEMPOTENCY_KEY_REUSED, nothing created', async () => {
    const body = deposit();
    await merchant.api.post('/v1/deposits', body, { 'idempotency-key': 'key-reuse' });
    const other = deposit();
    const res = await merchant.api.post('/v1/deposits', other, { 'idempotency-key': 'key-reuse' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await countFor(other.merchantTxId as string)).toBe(0);
  });

  it('replays a client error too, so a retry sees the same answer', async () => {
    const bad = deposit({ amount: -5 });
    const first = await merchant.api.post('/v1/deposits', bad, { 'idempotency-key': 'key-bad' });
    const second = await merchant.api.post('/v1/deposits', bad, { 'idempotency-key': 'key-bad' });
    expect(first.status).toBe(400);
    expect(second.status).toBe(400);
    expect(second.text).toBe(first.text);
  });

  it('keys belong to one merchant: another merchant may use the same key', async () => {
    const other = await t.newMerchant();
    await t.routeAllTo(other.id);
    const a = await merchant.api.post('/v1/deposits', deposit(), { 'idempotency-key': 'shared-key' });
    const b = await other.api.post('/v1/deposits', deposit(), { 'idempotency-key': 'shared-key' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('20 parallel requests with one key create exactly one transaction', async () => {
    // A slow provider answer (amount ending 05) keeps the first request in flight while the others arrive.
    const body = deposit({ amount: 150005 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => merchant.api.post('/v1/deposits', body, { 'idempotency-key': 'key-parallel' })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 409).length).toBeGreaterThan(0);
    for (const conflict of answers.filter((a) => a.status === 409)) expect(conflict.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    const created = answers.filter((a) => a.status === 201);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    expect(await countFor(body.merchantTxId as string)).toBe(1);
    // Once done, the key replays the one result.
    const later = await merchant.api.post('/v1/deposits', body, { 'idempotency-key': 'key-parallel' });
    expect(later.status).toBe(201);
    expect(later.body.id).toBe(created[0].body.id);
  });

  it('20 parallel requests without a key but with one merchantTxId create exactly one transaction', async () => {
    const body = deposit();
    const answers = await Promise.all(Array.from({ length: 20 }, () => merchant.api.post('/v1/deposits', body)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error.code === 'DUPLICATE_MERCHANT_TX_ID')).toBe(true);
    expect(await countFor(body.merchantTxId as string)).toBe(1);
  });

  it('rejects an unusable key with 400 naming the header', async () => {
    const res = await merchant.api.post('/v1/deposits', deposit(), { 'idempotency-key': 'x'.repeat(300) });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('Idempotency-Key');
  });

  it('stores a keyed HMAC of the request, never a bare hash of a body that held a card', async () => {
    const body = deposit();
    expect((await merchant.api.post('/v1/deposits', body, { 'idempotency-key': 'key-fingerprint' })).status).toBe(201);
    const row = await t.db.getRepository(IdempotencyKeyEntity).findOneByOrFail({ merchantId: merchant.id, key: 'key-fingerprint' });
    const canonical = `POST /v1/deposits\n${canonicalJson(body)}`;
    const bare = [canonical, canonicalJson(body), JSON.stringify(body)].flatMap((text) =>
      ['sha256', 'md5', 'sha1'].map((alg) => createHash(alg).update(text).digest('hex')),
    );
    expect(bare).not.toContain(row.fingerprint);
    const key = SecretBox.fromMasterKey(t.config.secretKey).deriveKey('idempotency-fingerprint');
    expect(row.fingerprint).toBe(createHmac('sha256', key).update(`${merchant.id}\n${canonical}`).digest('hex'));
    // The key is derived from PAYHUB_SECRET_KEY in memory; the database holds neither.
    const dump = JSON.stringify(await t.db.query('SELECT * FROM idempotency_keys WHERE merchant_id = ?', [merchant.id]));
    expect(dump).not.toContain(key.toString('hex'));
    expect(dump).not.toContain(t.config.secretKey);
  });

  it('a key stored before the keyed fingerprint (its bare hash erased by the migration) replays its stored answer', async () => {
    const now = new Date();
    await t.db.getRepository(IdempotencyKeyEntity).insert({
      merchantId: merchant.id,
      key: 'key-legacy',
      fingerprint: null,
      owner: null,
      state: 'completed',
      responseStatus: 201,
      responseBody: { id: 'tx_legacy' },
      lockedUntil: now,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 60_000),
    });
    const body = deposit();
    const res = await merchant.api.post('/v1/deposits', body, { 'idempotency-key': 'key-legacy' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: 'tx_legacy' });
    expect(await countFor(body.merchantTxId as string)).toBe(0);
  });
});
