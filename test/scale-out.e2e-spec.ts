import { DataSource } from 'typeorm';
import { loadConfig, newId, randomToken } from '@payhub/common';
import { buildDataSourceOptions } from '@payhub/database';
import { MerchantsService } from '@payhub/merchants';
import { WebhookDeliveryEntity } from '@payhub/notifications';
import { OutboxEntity, TransactionEntity, TxType, WEBHOOK_EVENT_TYPES } from '@payhub/transactions';
import { freePort } from './support/free-port';
import { HttpClient } from './support/http-client';
import { logLines, Topology } from './support/scale-topology';
import { TestApp } from './support/test-app';
import { setUpInterkassa } from './support/interkassa-merchant';
import { TestSandbox } from './support/test-sandbox';
import { waitFor, WebhookEndpoint } from './support/webhook-endpoint';

const API_KEY_LIMIT_PER_S = 20;

/**
 * payhub beyond one machine: 2 api processes behind HAProxy, 2 workers, a 3-master Redis Cluster and a
 * MariaDB primary with a replica, all started here on free ports and temporary directories.
 */
describe('scale-out: 2 apis behind a load balancer, 2 workers, Redis Cluster, a MySQL replica', () => {
  const topology = new Topology();
  let nodes: string[];
  let db: { primaryUrl: string; replicaUrl: string };
  let primary: DataSource;
  let replica: DataSource;
  let t: TestApp;
  let sandbox: TestSandbox;
  let hooks: WebhookEndpoint;
  let lb: string;
  let apis: HttpClient[];
  let workers: Awaited<ReturnType<Topology['app']>>[];
  let apiProcesses: Awaited<ReturnType<Topology['app']>>[];
  const prefix = `payhub-scale-${randomToken(4).toLowerCase()}`;

  beforeAll(async () => {
    [nodes, db, sandbox, hooks] = await Promise.all([
      topology.redisCluster(),
      topology.mariadbPair('payhub_scale'),
      TestSandbox.start(),
      WebhookEndpoint.start(),
    ]);
    const dbOptions = (url: string) =>
      buildDataSourceOptions(loadConfig({ DATABASE_URL: url, PAYHUB_SECRET_KEY: 'a'.repeat(64) }), [TransactionEntity, OutboxEntity, WebhookDeliveryEntity]);
    primary = await new DataSource(dbOptions(db.primaryUrl)).initialize();
    await primary.runMigrations({ transaction: 'each' });
    replica = await new DataSource({ ...dbOptions(db.replicaUrl), migrations: [] }).initialize();
    await waitFor(async () => (await replica.query("SHOW TABLES LIKE 'transactions'")).length === 1, 30000, 'the schema to reach the replica');

    const env = {
      DATABASE_URL: db.primaryUrl,
      DATABASE_REPLICA_URLS: db.replicaUrl,
      REDIS_CLUSTER_NODES: nodes.join(','),
      QUEUE_PREFIX: prefix,
      PAYHUB_SECRET_KEY: 'a'.repeat(64),
      RATE_LIMIT_API_KEY_PER_S: String(API_KEY_LIMIT_PER_S),
      WORKER_METRICS_PORT: '0',
      LOG_LEVEL: 'debug',
    };
    const [portA, portB, lbPort] = [await freePort(), await freePort(), await freePort()];
    // Providers call back through the load balancer (PUBLIC_URL), so callbacks land on either api.
    const apiEnv = (port: number) => ({ ...env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${lbPort}` });
    const [apiA, apiB, w1, w2] = await Promise.all([
      topology.app('api A', 'api', apiEnv(portA)),
      topology.app('api B', 'api', apiEnv(portB)),
      topology.app('worker 1', 'worker', env),
      topology.app('worker 2', 'worker', env),
    ]);
    workers = [w1, w2];
    // The apis' exit is checked at the end: neither fell over under the traffic.
    apiProcesses = [apiA, apiB];
    lb = await topology.haproxy([`127.0.0.1:${portA}`, `127.0.0.1:${portB}`], lbPort);
    apis = [new HttpClient(`http://127.0.0.1:${portA}`), new HttpClient(`http://127.0.0.1:${portB}`)];
    t = await TestApp.start({
      env: { DATABASE_URL: db.primaryUrl, REDIS_CLUSTER_NODES: nodes.join(','), QUEUE_PREFIX: prefix, RATE_LIMIT_API_KEY_PER_S: '0' },
    });
  }, 170000);

  afterAll(async () => {
    await t?.close();
    await Promise.allSettled([primary?.destroy(), replica?.destroy(), sandbox?.close(), hooks?.close()]);
    await topology.close();
  }, 60000);

  async function interkassaMerchant() {
    const created = await t.app
      .get(MerchantsService)
      .create({ name: `scale-${randomToken(4)}`, webhookUrl: hooks.url, webhookEvents: [...WEBHOOK_EVENT_TYPES] });
    await setUpInterkassa(t, sandbox, created.merchant.id, {
      purseCurrency: 'UAH',
      currencies: 'UAH|INR',
      checkout: { withdrawCallbackUrl: `${lb}/callbacks/interkassa`, purseBalance: 10_000_000 },
    });
    return { id: created.merchant.id, apiKey: created.apiKey, via: (base: string) => new HttpClient(base, { 'x-api-key': created.apiKey }) };
  }

  async function approve(nextAction: { url: string; params: Record<string, string> }): Promise<void> {
    const page = await (await fetch(`${nextAction.url}?${new URLSearchParams(nextAction.params)}`)).text();
    const action = /action="([^"]+\/approve)"/.exec(page)?.[1];
    if (!action) throw new Error('no approve form on the payment page');
    await fetch(`${sandbox.url}${action}`, { method: 'POST', redirect: 'manual' });
  }

  it('runs deposits and refunds through the load balancer with callbacks to either api, delivering every webhook event once per eventId', async () => {
    const merchant = await interkassaMerchant();
    const http = merchant.via(lb);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await http.post('/v1/deposits', {
        merchantTxId: `scale-${randomToken(8)}`,
        userId: 'u-scale',
        txType: 'CreditcardDeposit',
        amount: 150000,
        currency: 'UAH',
        country: 'UA',
        card: { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', cvv: '123', holder: 'SCALE TEST' },
        customer: { email: 'scale@example.com' },
      });
      expect([res.status, res.body.status, res.status === 201 ? '' : res.text]).toEqual([201, 'WAITING_INPUT', '']);
      ids.push(res.body.id);
      await approve(res.body.nextAction);
    }
    await waitFor(
      async () => (await primary.getRepository(TransactionEntity).findBy(ids.map((id) => ({ id })))).every((tx) => tx.status === 'SUCCESSFUL'),
      30000,
      'every deposit SUCCESSFUL through its callback',
    );
    for (const id of ids) expect((await http.get(`/v1/transactions/${id}`)).body.status).toBe('SUCCESSFUL');

    // Full refunds of one deposit sent to both apis at once: the deposit's row lock holds across processes, one refund wins.
    for (const id of ids.slice(0, 3)) {
      const answers = await Promise.all(
        apis.map((api) => merchant.via(api.baseUrl).post(`/v1/transactions/${id}/refunds`, { merchantRefundId: `r-${randomToken(6)}` })),
      );
      // Accepted by Interkassa is PROCESSING until its invoice says refunded (issue 15); either way one refund exists.
      expect(answers.filter((r) => r.status === 201 && ['PROCESSING', 'SUCCESSFUL'].includes(r.body.status))).toHaveLength(1);
      expect(answers.filter((r) => r.status >= 400 && r.status < 500)).toHaveLength(1);
      const refunds = await primary.getRepository(TransactionEntity).findBy({ parentId: id, txType: TxType.Refund });
      expect(refunds.map((r) => r.amount)).toEqual([150000n]);
    }

    const events = await primary.getRepository(OutboxEntity).createQueryBuilder('o').where('o.transaction_id IN (:...ids)', { ids }).getMany();
    expect(events.length).toBeGreaterThanOrEqual(ids.length * 2 + 3);
    await waitFor(async () => events.every((e) => hooks.received.some((h) => h.eventId === e.eventId)), 30000, 'every webhook event delivered');
    // Delivery is at least once; the eventId makes a redelivery recognisable, and each event has one delivery row.
    // The worker records an attempt's result in a batch after the answer, so the rows turn delivered a moment later.
    const deliveriesOfEvents = () =>
      primary
        .getRepository(WebhookDeliveryEntity)
        .createQueryBuilder('d')
        .where('d.event_id IN (:...e)', { e: events.map((e) => e.eventId) })
        .getMany();
    await waitFor(async () => (await deliveriesOfEvents()).every((d) => d.status === 'delivered'), 15000, 'every delivery row recorded as delivered');
    const deliveries = await deliveriesOfEvents();
    expect(deliveries).toHaveLength(events.length);
    expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);
    expect(new Set(hooks.received.filter((h) => ids.includes(h.transactionId)).map((h) => h.eventId)).size).toBe(events.length);
  }, 90000);

  it('submits every approved payout to the provider once, whichever worker takes it', async () => {
    const merchant = await interkassaMerchant();
    const approver = await t.newStaff(['approver']);
    const login = await apis[0].post('/backoffice/auth/login', { email: approver.email, password: approver.password });
    expect(login.status).toBe(200);
    const staff = apis.map((api) => new HttpClient(api.baseUrl, { authorization: `Bearer ${login.body.accessToken}` }));
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await merchant.via(lb).post('/v1/withdrawals', {
        merchantTxId: `scale-payout-${randomToken(8)}`,
        userId: 'u-scale',
        txType: 'WalletWithdrawal',
        service: 'UPI',
        amount: 150000,
        currency: 'INR',
        country: 'IN',
        wallet: { account: 'rahul99@okhdfc' },
        customer: { firstName: 'Rahul', lastName: 'Shah', phone: '+919876543210', email: 'r@s.in' },
      });
      expect([created.status, created.body.status]).toEqual([201, 'WAITING_APPROVAL']);
      expect((await staff[i % 2].post(`/backoffice/withdrawals/${created.body.id}/approve`)).status).toBe(200);
      ids.push(created.body.id);
    }
    await waitFor(
      async () => (await primary.getRepository(TransactionEntity).findBy(ids.map((id) => ({ id })))).every((tx) => tx.providerTxId !== null),
      30000,
      'every payout submitted',
    );
    // Let more worker ticks pass with both workers up, then count what reached the provider.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (const id of ids) {
      const sent = (
        (await (await fetch(`${sandbox.url}/interkassa/_sandbox/requests?contains=${id}`)).json()) as { data: Array<{ method: string; path: string }> }
      ).data;
      expect(sent.filter((r) => r.method === 'POST' && r.path === '/withdraw')).toHaveLength(1);
    }
  }, 60000);

  it('runs every scheduled job once per slot across the two workers', async () => {
    const runs = () =>
      workers.flatMap((w) =>
        logLines(w.output)
          .filter((l) => l.msg === 'scheduled job ran')
          .map((l) => String(l.jobId)),
      );
    await waitFor(async () => runs().filter((id) => id.startsWith('relay-outbox:')).length >= 4, 30000, 'several outbox relay ticks');
    expect(runs().length).toBe(new Set(runs()).size);
    expect(workers.every((w) => w.running)).toBe(true);
  }, 40000);

  it('key and config changes made through one api reach the other at once', async () => {
    const merchant = await interkassaMerchant();
    const admin = await t.newStaff(['admin']);
    const login = await apis[0].post('/backoffice/auth/login', { email: admin.email, password: admin.password });
    expect(login.status).toBe(200);
    const staff = apis.map((api) => new HttpClient(api.baseUrl, { authorization: `Bearer ${login.body.accessToken}` }));
    // Both apis serve the merchant's key (and cache it).
    for (const api of apis) expect((await merchant.via(api.baseUrl).get('/v1/transactions?limit=1')).status).toBe(200);
    const keys = await staff[0].get(`/backoffice/merchants/${merchant.id}/api-keys`);
    expect(keys.status).toBe(200);
    const revoked = await staff[1].post(`/backoffice/merchants/${merchant.id}/api-keys/${keys.body.data?.[0]?.id ?? keys.body[0].id}/revoke`);
    expect(revoked.status).toBeLessThan(300);
    // The change bus (pub/sub over the cluster) drops the cached key on api A well before its cache TTL.
    await waitFor(async () => (await merchant.via(apis[0].baseUrl).get('/v1/transactions?limit=1')).status === 401, 3000, 'api A to refuse the revoked key');
    expect((await merchant.via(apis[1].baseUrl).get('/v1/transactions?limit=1')).status).toBe(401);

    // A config change (the merchant disabled) made on api B stops the merchant's other key on api A and on B at once.
    const other = await interkassaMerchant();
    for (const api of apis) expect((await other.via(api.baseUrl).get('/v1/transactions?limit=1')).status).toBe(200);
    expect((await staff[1].patch(`/backoffice/merchants/${other.id}`, { status: 'disabled' })).status).toBe(200);
    await waitFor(async () => (await other.via(apis[0].baseUrl).get('/v1/transactions?limit=1')).status >= 400, 3000, 'api A to refuse the disabled merchant');
    expect((await other.via(apis[1].baseUrl).get('/v1/transactions?limit=1')).status).toBeGreaterThanOrEqual(400);
  }, 30000);

  it('holds the API key rate limit across both apis', async () => {
    const merchant = await interkassaMerchant();
    const startedAt = Math.floor(Date.now() / 1000);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => merchant.via(apis[i % 2].baseUrl).get('/v1/transactions?limit=1')));
    const windows = Math.floor(Date.now() / 1000) - startedAt + 1;
    const ok = answers.filter((r) => r.status === 200).length;
    expect(answers.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    // One counter for both processes: at most the limit per one-second window the burst spanned.
    expect(ok).toBeLessThanOrEqual(API_KEY_LIMIT_PER_S * windows);
    expect(ok).toBeGreaterThanOrEqual(API_KEY_LIMIT_PER_S);
    expect(answers.find((r) => r.status === 429)?.headers.get('retry-after')).toBeTruthy();
  }, 30000);

  it('answers back-office searches from the replica, and the payment path from the primary', async () => {
    const merchant = await interkassaMerchant();
    const viewer = await t.newStaff(['viewer']);
    const login = await apis[1].post('/backoffice/auth/login', { email: viewer.email, password: viewer.password });
    expect(login.status).toBe(200);
    // A row only the replica has (written there directly): whatever shows it was read from the replica.
    const [row] = await primary.getRepository(TransactionEntity).find({ order: { id: 'DESC' }, take: 1 });
    const markerId = newId('tx');
    await waitFor(async () => (await replica.getRepository(TransactionEntity).findOneBy({ id: row.id })) !== null, 20000, 'the replica to catch up');
    await replica.getRepository(TransactionEntity).save({ ...row, id: markerId, merchantId: merchant.id, merchantTxId: `replica-only-${randomToken(4)}` });
    for (const api of apis) {
      const search = await new HttpClient(api.baseUrl, { authorization: `Bearer ${login.body.accessToken}` }).get(
        `/backoffice/transactions?merchantId=${merchant.id}`,
      );
      expect(search.status).toBe(200);
      expect(search.body.data.map((x: { id: string }) => x.id)).toEqual([markerId]);
      expect((await merchant.via(api.baseUrl).get(`/v1/transactions/${markerId}`)).status).toBe(404);
    }
  }, 40000);

  it('keeps every payhub key in Redis Cluster under the hash-tagged prefix', async () => {
    expect(apiProcesses.every((api) => api.running)).toBe(true);
    const keys = await topology.redisKeys(nodes);
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.filter((k) => !k.startsWith(`{${prefix}}:`) && !k.startsWith('payhub:alive:'))).toEqual([]);
  });
});
