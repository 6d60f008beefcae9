import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { ApiKeyEntity, MerchantsService } from '@payhub/merchants';
import { CallbackInboxEntity } from '@payhub/payments';
import { ProviderConfigService } from '@payhub/provider-config';
import { RoutingRuleDto, RoutingService } from '@payhub/routing';
import { TransactionEntity, TransactionStateService, TxStatus } from '@payhub/transactions';
import { WorkerModule } from '../apps/worker/src/worker.module';
import type { HttpClient, HttpResult } from './support/http-client';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { deposit, TestApp } from './support/test-app';
import { TestProviderModule } from './support/test-provider';
import { TestSandbox } from './support/test-sandbox';
import { waitFor, WebhookEndpoint } from './support/webhook-endpoint';
import { transactionThrough } from './support/webhook-fixtures';

/** A tiny HTTP server answering as `handle` says; counts what it got. */
async function server(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const s: Server = createServer((req, res) => {
    hits++;
    handle(req, res);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        s.closeAllConnections();
        s.close(() => resolve());
      }),
  };
}

async function startWorker(t: TestApp): Promise<INestApplicationContext> {
  const worker = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(t.config, { extraModules: [TestProviderModule], notifications: { retryDelaysMs: [], timeoutMs: 2000 } }),
    { logger: false },
  );
  await worker.init();
  return worker;
}

describe('outbound URLs', () => {
  describe('checked when saved', () => {
    let t: TestApp;
    let strict: TestApp;
    beforeAll(async () => {
      [t, strict] = await Promise.all([TestApp.start(), TestApp.start({ env: { OUTBOUND_ALLOW_LOOPBACK: 'false' } })]);
    });
    afterAll(() => Promise.all([t.close(), strict.close()]));

    it('a merchant webhook URL never points at private, link-local, CGNAT, multicast or metadata addresses', async () => {
      const admin = await t.newStaff(['admin']);
      const name = `hooked-${Date.now()}`;
      for (const webhookUrl of [
        'http://10.0.0.5/hooks',
        'http://169.254.169.254/latest/meta-data/',
        'http://100.64.1.1/',
        'http://[fd00::1]/x',
        'http://224.0.0.1/',
        'http://metadata.google.internal/',
      ]) {
        const res = await admin.bo.post('/backoffice/merchants', { name, webhookUrl });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'webhookUrl' }] });
      }
      expect(await t.app.get(MerchantsService).findByName(name)).toBeNull();
      // Loopback is allowed in development and tests (local receivers, the sandbox) ...
      expect((await admin.bo.post('/backoffice/merchants', { name, webhookUrl: 'http://127.0.0.1:9/hooks' })).status).toBe(201);
      // ... and refused where OUTBOUND_ALLOW_LOOPBACK=false (the production default).
      const strictAdmin = await strict.newStaff(['admin']);
      const refused = await strictAdmin.bo.post('/backoffice/merchants', { name: `${name}-strict`, webhookUrl: 'http://localhost:9/hooks' });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual([{ field: 'webhookUrl', issue: 'points at a loopback address' }]);
    });

    it("a payment's notificationUrl likewise: 400 naming the field, nothing stored", async () => {
      const m = await t.newMerchant();
      await t.routeAllTo(m.id);
      const body = deposit({ notificationUrl: 'http://192.168.0.10/payhub' });
      const res = await m.api.post('/v1/deposits', body);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ field: 'notificationUrl', issue: expect.stringMatching(/private/) }]);
      expect(await t.db.getRepository(TransactionEntity).countBy({ merchantTxId: body.merchantTxId as string })).toBe(0);
      expect((await m.api.post('/v1/deposits', deposit({ notificationUrl: 'https://shop.example/payhub' }))).status).toBe(201);
    });
  });

  describe('checked again when sent', () => {
    let strict: TestApp;
    let worker: INestApplicationContext;
    let admin: HttpClient;
    beforeAll(async () => {
      strict = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('outbound_strict'), OUTBOUND_ALLOW_LOOPBACK: 'false' } });
      worker = await startWorker(strict);
      admin = (await strict.newStaff(['admin'])).bo;
    });
    afterAll(async () => {
      await worker?.close();
      await strict?.close();
    });

    it('a URL saved before the policy (or whose name now resolves inside) is not called; the attempt says why', async () => {
      const receiver = await WebhookEndpoint.start();
      try {
        const m = await strict.newMerchant();
        const tx = await transactionThrough(strict.app.get(TransactionStateService), m.id, [TxStatus.REGISTERED], { notificationUrl: receiver.url });
        const [delivery] = await waitFor(
          async () => {
            const page = await admin.get(`/backoffice/webhook-deliveries?transactionId=${tx.id}`);
            return page.body.data?.length && page.body.data[0].status !== 'pending' ? page.body.data : null;
          },
          15000,
          'the delivery to settle',
        );
        expect(delivery.status).toBe('failed');
        const detail = await admin.get(`/backoffice/webhook-deliveries/${delivery.id}`);
        expect(detail.body.attempts).toEqual([
          expect.objectContaining({ outcome: 'not_sent', statusCode: null, error: expect.stringMatching(/outbound URL policy.*loopback/) }),
        ]);
        expect(receiver.received).toHaveLength(0);
      } finally {
        await receiver.close();
      }
    });
  });

  describe('answers', () => {
    let t: TestApp;
    let worker: INestApplicationContext;
    let admin: HttpClient;
    beforeAll(async () => {
      t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('outbound_answers') } });
      worker = await startWorker(t);
      admin = (await t.newStaff(['admin'])).bo;
    });
    afterAll(async () => {
      await worker?.close();
      await t?.close();
    });

    const settledAttempts = async (notificationUrl: string) => {
      const m = await t.newMerchant();
      const tx = await transactionThrough(t.app.get(TransactionStateService), m.id, [TxStatus.REGISTERED], { notificationUrl });
      const [delivery] = await waitFor(
        async () => {
          const page = await admin.get(`/backoffice/webhook-deliveries?transactionId=${tx.id}`);
          return page.body.data?.length && page.body.data[0].status !== 'pending' ? page.body.data : null;
        },
        15000,
        'the delivery to settle',
      );
      return (await admin.get(`/backoffice/webhook-deliveries/${delivery.id}`)).body.attempts;
    };

    it('does not follow redirects', async () => {
      const inside = await server((_req, res) => res.end('secret internal page'));
      const redirector = await server((_req, res) => res.writeHead(302, { location: `${inside.url}/admin` }).end());
      try {
        const attempts = await settledAttempts(`${redirector.url}/hook`);
        expect(attempts).toEqual([expect.objectContaining({ outcome: 'http_error', statusCode: 302 })]);
        expect(redirector.hits()).toBe(1);
        expect(inside.hits()).toBe(0);
      } finally {
        await Promise.all([inside.close(), redirector.close()]);
      }
    });

    it('keeps the status and at most 256 bytes of the answer', async () => {
      const chatty = await server((_req, res) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('é'.repeat(5000)));
      try {
        const [attempt] = await settledAttempts(`${chatty.url}/hook`);
        expect(attempt).toMatchObject({ outcome: 'http_error', statusCode: 500 });
        expect(Buffer.byteLength(attempt.responseExcerpt, 'utf8')).toBe(256);
        expect(attempt.responseExcerpt).toBe('é'.repeat(128));
      } finally {
        await chatty.close();
      }
    });
  });
});

describe('rate limits and callback storage', () => {
  let t: TestApp;
  let other: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    const env = { RATE_LIMIT_API_KEY_PER_S: '5', RATE_LIMIT_LOGIN_PER_MIN: '3', RATE_LIMIT_CALLBACKS_PER_S: '2', TRUST_PROXY: '127.0.0.1' };
    t = await TestApp.start({ env });
    // A second api process on the same Redis and database: limits are counted once for both.
    other = await TestApp.start({ env: { ...env, QUEUE_PREFIX: t.config.queuePrefix } });
    redis = new Redis(t.config.redisUrl);
  });
  afterAll(async () => {
    redis?.disconnect();
    await Promise.all([t?.close(), other?.close()]);
  });

  it('per API key on /v1, counted in Redis for every api process: 429 with Retry-After and RATE_LIMITED', async () => {
    const bystander = await t.newMerchant();
    // A fresh key has no counter: its window opens with the first request and lasts 1 s. Five requests
    // to one process, then one to the other, all inside that second: the sixth is over the shared limit.
    // (A machine too loaded to send six requests in 900 ms gets a fresh key and a fresh window.)
    let outcome: { statuses: number[]; sixth: HttpResult; counted: number } | null = null;
    for (let round = 0; round < 5 && !outcome; round++) {
      const m = await t.newMerchant();
      const [key] = await t.db.getRepository(ApiKeyEntity).findBy({ merchantId: m.id });
      const started = Date.now();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await t.http.get('/v1/transactions', { 'x-api-key': m.apiKey })).status);
      const sixth = await other.http.get('/v1/transactions', { 'x-api-key': m.apiKey });
      const counted = Number(await redis.get(`${t.config.queuePrefix}:rl:api-key:${key.id}`));
      if (Date.now() - started < 900) outcome = { statuses, sixth, counted };
    }
    expect(outcome).not.toBeNull();
    expect(outcome!.statuses).toEqual([200, 200, 200, 200, 200]);
    expect(outcome!.sixth.status).toBe(429);
    expect(outcome!.sixth.body.error.code).toBe('RATE_LIMITED');
    expect(outcome!.sixth.headers.get('retry-after')).toBe('1');
    expect(outcome!.counted).toBe(6);
    expect((await bystander.api.get('/v1/transactions')).status).toBe(200);
  });

  it('per address and per account on login', async () => {
    // Its own login counts once for the account.
    const member = await t.newStaff(['viewer']);
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    // One address: 3 attempts a minute, then 429, whatever the email.
    for (let i = 0; i < 3; i++)
      expect((await t.http.post('/backoffice/auth/login', { email: `nobody-${i}@test.local`, password: 'whatever-123' }, from('198.51.100.1'))).status).toBe(
        401,
      );
    const limited = await other.http.post('/backoffice/auth/login', { email: 'nobody-9@test.local', password: 'whatever-123' }, from('198.51.100.1'));
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // One account from many addresses: 3 attempts a minute, then 429 even with the right password.
    for (let i = 0; i < 2; i++)
      expect((await t.http.post('/backoffice/auth/login', { email: member.email, password: 'wrong-password' }, from(`198.51.100.${10 + i}`))).status).toBe(401);
    const right = await t.http.post('/backoffice/auth/login', { email: member.email, password: member.password }, from('198.51.100.20'));
    expect(right.status).toBe(429);
    expect((await t.http.post('/backoffice/auth/login', { email: 'someone-else@test.local', password: 'whatever-123' }, from('198.51.100.30'))).status).toBe(
      401,
    );
  });

  it('per address and per provider on /callbacks; a rejected callback keeps at most 64 KB of its body', async () => {
    const txId = `tx_${'0123456789ABCDEFGHJKMNPQRS'}`;
    const big = JSON.stringify({ txId, eventId: 'e1', status: 'SUCCESSFUL', pad: 'x'.repeat(900 * 1024) });
    const first = await t.http.post(`/callbacks/testpay/${txId}`, big, { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.50' });
    expect(first.status).toBe(403);
    const [row] = await t.db.getRepository(CallbackInboxEntity).findBy({ transactionId: txId });
    expect(row.state).toBe('rejected');
    expect(Buffer.byteLength(row.rawBody, 'utf8')).toBe(64 * 1024);
    expect(row.headers).toMatchObject({ 'client-ip': '203.0.113.50' });

    const fromOne = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.http.post(`/callbacks/testpay/${txId}`, { txId, eventId: 'e2', status: 'SUCCESSFUL' }, { 'x-forwarded-for': '203.0.113.51' }),
      ),
    );
    const limited = fromOne.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].headers.get('retry-after')).toBe('1');
    expect(limited[0].body.error.code).toBe('RATE_LIMITED');
    // Limited callbacks are not stored at all.
    const stored = await t.db.getRepository(CallbackInboxEntity).countBy({ transactionId: txId });
    expect(stored).toBe(1 + fromOne.filter((r) => r.status !== 429).length);

    // Per provider: ten times the per-address limit, from any number of addresses.
    const spread = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        other.http.post('/callbacks/testpay', { txId, eventId: 'e3', status: 'SUCCESSFUL' }, { 'x-forwarded-for': `192.0.2.${i + 1}` }),
      ),
    );
    expect(spread.filter((r) => r.status === 429).length).toBeGreaterThan(0);
  });
});

describe('Kasha notifications', () => {
  let t: TestApp;
  let sandbox: TestSandbox;
  beforeAll(async () => {
    [t, sandbox] = await Promise.all([TestApp.start(), TestSandbox.start()]);
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  it('are coalesced: 30 distinct notifications at once cause one status check', async () => {
    let statusChecks = 0;
    // A counting proxy in front of the sandbox: every status check payhub makes passes here.
    const proxy = await server((req, res) => {
      if (req.method === 'GET' && /\/v2\/transactions\/[^/]+$/.test(req.url ?? '')) statusChecks++;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const answer = await fetch(`${sandbox.url}/kasha${req.url}`, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
      });
    });
    try {
      const merchant = await t.newMerchant();
      await t.app.get(ProviderConfigService).put(
        merchant.id,
        'kasha',
        {
          enabled: true,
          testMode: true,
          baseUrls: { api: proxy.url },
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
      const res = await merchant.api.post('/v1/deposits', {
        merchantTxId: `ks-${Date.now()}`,
        userId: 'user-7',
        txType: 'BankDeposit',
        amount: 30_000,
        currency: 'BRL',
        country: 'BR',
        bank: { bankCode: 'b_101' },
        customer: {
          email: 'maria@example.com',
          phone: '+5511999999999',
          firstName: 'Maria',
          lastName: 'Silva',
          identify: { number: '36570630563', type: 'BRA_CPF' },
          address: { line1: 'Rua Augusta 100', city: 'Sao Paulo', postalCode: '01304000', country: 'BR' },
        },
        browser: { userAgent: 'Mozilla/5.0', ip: '84.232.140.77' },
        redirectUrls: { success: 'https://m.example/ok' },
      });
      expect(res.status).toBe(201);
      const before = statusChecks;
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => t.http.post(`/callbacks/kasha/${res.body.id}`, { merchantReference: res.body.id, status: 'COMPLETED', nonce: i })),
      );
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(statusChecks - before).toBe(1);
      const states = (await t.db.getRepository(CallbackInboxEntity).findBy({ transactionId: res.body.id })).map((r) => r.state);
      // The first is applied; the other 29 either arrived while it ran (coalesced) or after it, when the
      // same notification content is a duplicate of the applied one.
      expect(states.filter((s) => s === 'applied')).toHaveLength(1);
      expect(states.filter((s) => s === 'coalesced' || s === 'duplicate')).toHaveLength(29);
    } finally {
      await proxy.close();
    }
  });
});
