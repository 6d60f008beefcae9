import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HTTP_DURATION_BUCKETS, MetricsService, PROVIDER_DURATION_BUCKETS, WEBHOOK_LAG_BUCKETS } from '@payhub/common';
import { WebhookDeliveryEntity } from '@payhub/notifications';
import { GaugeCollector } from '@payhub/observability';
import { TransactionStateService, TxStatus } from '@payhub/transactions';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { deltas, parseMetrics, Scrape, seriesKey } from './support/metrics-text';
import { deposit, TestApp } from './support/test-app';
import { signTestpay, TestProviderModule } from './support/test-provider';
import { waitFor, WebhookEndpoint } from './support/webhook-endpoint';
import { transactionThrough } from './support/webhook-fixtures';

/** The business counters: every payhub_*_total series, except the scrapes of /metrics themselves. */
const counters = (key: string) => key.startsWith('payhub_') && key.split('{')[0].endsWith('_total') && !key.includes('route="/metrics"');

describe('metrics', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  const endpoints: WebhookEndpoint[] = [];

  beforeAll(async () => {
    t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('metrics') } });
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(t.config, { extraModules: [TestProviderModule], notifications: { retryDelaysMs: [200, 200], timeoutMs: 2000 } }),
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
  const scrapeApi = async (): Promise<Scrape> => {
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return parseMetrics(res.text);
  };
  const scrapeWorker = async (): Promise<Scrape> => parseMetrics(await worker.get(MetricsService).render());
  const callback = (payload: Record<string, unknown>, key = 'k-123456') => {
    const raw = JSON.stringify(payload);
    return t.http.post(`/callbacks/testpay/${String(payload.txId)}`, raw, { 'content-type': 'application/json', 'x-testpay-signature': signTestpay(raw, key) });
  };
  const deliveriesOf = (transactionId: string) => t.db.getRepository(WebhookDeliveryEntity).find({ where: { transactionId }, order: { outboxId: 'ASC' } });

  it('a deposit → callback → webhook flow moves each counter by exactly what it should', async () => {
    const merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
    const hooks = await endpoint();
    const apiBefore = await scrapeApi();
    const workerBefore = await scrapeWorker();

    const created = await merchant.api.post('/v1/deposits', deposit({ notificationUrl: hooks.url }));
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('WAITING_INPUT');
    const txId = created.body.id as string;
    expect((await callback({ txId, eventId: `e-${txId}`, status: 'SUCCESSFUL' })).status).toBe(200);
    expect((await callback({ txId, eventId: `e-${txId}`, status: 'SUCCESSFUL' })).status).toBe(200);
    expect((await callback({ txId, eventId: `e2-${txId}`, status: 'SUCCESSFUL' }, 'k-wrong')).status).toBe(403);
    await waitFor(
      async () => {
        const rows = await deliveriesOf(txId);
        return rows.length === 3 && rows.every((d) => d.status === 'delivered');
      },
      20000,
      'the three webhooks to be delivered',
    );

    const api = deltas(apiBefore, await scrapeApi(), counters);
    expect(api).toEqual({
      [seriesKey('payhub_http_requests_total', { route: '/v1/deposits', method: 'POST', status: '201' })]: 1,
      [seriesKey('payhub_http_requests_total', { route: '/callbacks/:provider/:txId', method: 'POST', status: '200' })]: 2,
      [seriesKey('payhub_http_requests_total', { route: '/callbacks/:provider/:txId', method: 'POST', status: '403' })]: 1,
      [seriesKey('payhub_provider_requests_total', { provider: 'testpay', operation: 'deposit', outcome: 'waiting_input' })]: 1,
      [seriesKey('payhub_transactions_total', { tx_type: 'CreditcardDeposit', provider: 'testpay', status: 'REGISTERED' })]: 1,
      [seriesKey('payhub_transactions_total', { tx_type: 'CreditcardDeposit', provider: 'testpay', status: 'WAITING_INPUT' })]: 1,
      [seriesKey('payhub_transactions_total', { tx_type: 'CreditcardDeposit', provider: 'testpay', status: 'SUCCESSFUL' })]: 1,
      [seriesKey('payhub_callbacks_total', { provider: 'testpay', result: 'applied' })]: 1,
      [seriesKey('payhub_callbacks_total', { provider: 'testpay', result: 'duplicate' })]: 1,
      [seriesKey('payhub_callbacks_total', { provider: 'testpay', result: 'rejected' })]: 1,
    });
    const worker = deltas(workerBefore, await scrapeWorker(), (key) => counters(key) || key.startsWith('payhub_webhook_delivery_lag_seconds_count'));
    expect(worker).toEqual({
      [seriesKey('payhub_webhook_deliveries_total', { outcome: 'delivered' })]: 3,
      payhub_webhook_delivery_lag_seconds_count: 3,
    });
  });

  it('counts failed webhook attempts by outcome, provider errors, and conflicts', async () => {
    const merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
    const hooks = await endpoint((_hook, nth) => (nth === 1 ? { status: 503 } : { status: 200 }));
    const apiBefore = await scrapeApi();
    const workerBefore = await scrapeWorker();

    // Amount ending 02: the adapter throws; the outcome is unknown (INCONSISTENT).
    const broken = await merchant.api.post('/v1/deposits', deposit({ amount: 150002 }));
    expect(broken.body.status).toBe('INCONSISTENT');
    // Amount ending 04: SUCCESSFUL at once; a later FAILED callback contradicts it and is kept as a conflict.
    const done = await merchant.api.post('/v1/deposits', deposit({ amount: 150004, notificationUrl: hooks.url }));
    expect(done.body.status).toBe('SUCCESSFUL');
    expect((await callback({ txId: done.body.id, eventId: `e-${done.body.id}`, status: 'FAILED' })).status).toBe(200);
    await waitFor(
      async () => {
        const rows = await deliveriesOf(done.body.id);
        return rows.length === 2 && rows.every((d) => d.status === 'delivered');
      },
      20000,
      'both webhooks delivered after one 503',
    );

    const api = deltas(apiBefore, await scrapeApi(), (key) => key.startsWith('payhub_provider_requests_total') || key.startsWith('payhub_conflicts_total'));
    expect(api).toEqual({
      [seriesKey('payhub_provider_requests_total', { provider: 'testpay', operation: 'deposit', outcome: 'error' })]: 1,
      [seriesKey('payhub_provider_requests_total', { provider: 'testpay', operation: 'deposit', outcome: 'successful' })]: 1,
      payhub_conflicts_total: 1,
    });
    const worker = deltas(workerBefore, await scrapeWorker(), (key) => key.startsWith('payhub_webhook_deliveries_total'));
    // Each event of the successful deposit met one 503, then got through; the broken deposit has no
    // webhook URL, so its two events (REGISTERED, INCONSISTENT) are skipped.
    expect(worker).toEqual({
      [seriesKey('payhub_webhook_deliveries_total', { outcome: 'http_error' })]: 2,
      [seriesKey('payhub_webhook_deliveries_total', { outcome: 'delivered' })]: 2,
      [seriesKey('payhub_webhook_deliveries_total', { outcome: 'skipped' })]: 2,
    });
  });

  it('histograms have buckets fitting what they time, and no label carries an id', async () => {
    const api = await scrapeApi();
    const bucketsOf = (scrape: Scrape, name: string) => [
      ...new Set([...scrape.keys()].filter((k) => k.startsWith(`${name}_bucket`)).map((k) => /le="([^"]+)"/.exec(k)![1])),
    ];
    expect(bucketsOf(api, 'payhub_http_request_duration_seconds')).toEqual([...HTTP_DURATION_BUCKETS.map(String), '+Inf']);
    expect(bucketsOf(api, 'payhub_provider_request_duration_seconds')).toEqual([...PROVIDER_DURATION_BUCKETS.map(String), '+Inf']);
    expect(bucketsOf(await scrapeWorker(), 'payhub_webhook_delivery_lag_seconds')).toEqual([...WEBHOOK_LAG_BUCKETS.map(String), '+Inf']);
    // Milliseconds to seconds, from a fast answer to past the longest provider timeout and the 24 h webhook horizon.
    expect(HTTP_DURATION_BUCKETS[0]).toBeLessThanOrEqual(0.005);
    expect(PROVIDER_DURATION_BUCKETS.at(-1)).toBeGreaterThanOrEqual(120);
    expect(WEBHOOK_LAG_BUCKETS.at(-1)).toBeGreaterThanOrEqual(86400);

    // Raw paths of every shape land under their route pattern; nothing matched → one value.
    await t.http.get('/v1/transactions/tx_01NOTREAL00000000000000000', { 'x-api-key': 'nope' });
    await t.http.get(`/no/such/path/${Date.now()}`);
    const after = await scrapeApi();
    const routes = new Set([...after.keys()].filter((k) => k.startsWith('payhub_http_requests_total')).map((k) => /route="([^"]*)"/.exec(k)![1]));
    expect(routes).toContain('/v1/transactions/:id');
    expect(routes).toContain('unmatched');
    for (const key of after.keys()) {
      if (key.startsWith('payhub_')) expect(key).not.toMatch(/(tx|mer|evt|cb|whd)_[0-9A-Z]{26}|\/no\/such/);
    }
  });

  it('database gauges come from one process at a time, holding a Redis lease', async () => {
    const merchant = await t.newMerchant();
    const state = t.app.get(TransactionStateService);
    await transactionThrough(state, merchant.id, [TxStatus.REGISTERED, TxStatus.PROCESSING, TxStatus.INCONSISTENT]);
    const apiCollector = t.app.get(GaugeCollector);
    const workerCollector = worker.get(GaugeCollector);

    const first = await apiCollector.tick();
    const second = await workerCollector.tick();
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const [holder, other] = first ? [apiCollector, workerCollector] : [workerCollector, apiCollector];
    const [holderScrape, otherScrape] = first ? [await scrapeApi(), await scrapeWorker()] : [await scrapeWorker(), await scrapeApi()];
    expect(holderScrape.get('payhub_inconsistent_transactions')).toBeGreaterThanOrEqual(1);
    expect(holderScrape.get(seriesKey('payhub_oldest_unfinished_transaction_age_seconds', { status: 'INCONSISTENT' }))).toBeGreaterThanOrEqual(0);
    expect(holderScrape.has(seriesKey('payhub_queue_jobs', { queue: 'notifications', state: 'failed' }))).toBe(true);
    expect(holderScrape.has('payhub_webhook_pending')).toBe(true);
    expect(holderScrape.has('payhub_status_sync_due')).toBe(true);
    // The other process exports none of them: no stale copy beside the holder's.
    expect(
      [...otherScrape.keys()].filter((k) => /^payhub_(webhook_pending|status_sync_due|inconsistent_transactions|queue_jobs|oldest_unfinished)/.test(k)),
    ).toEqual([]);

    // The holder goes away (its lease is released): the other takes over at its next tick.
    await holder.onModuleDestroy();
    expect(await other.tick()).toBe(true);
    const taken = first ? await scrapeWorker() : await scrapeApi();
    expect(taken.get('payhub_inconsistent_transactions')).toBeGreaterThanOrEqual(1);
    expect(await holder.tick()).toBe(false);
  });
});
