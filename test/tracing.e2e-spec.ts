import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomToken } from '@payhub/common';
import { ProviderConfigService } from '@payhub/provider-config';
import { INTERKASSA_DEMO_SEED } from '../scripts/demo/interkassa.demo-seed';
import { RoutingService } from '@payhub/routing';
import { freePort } from './support/free-port';
import { HttpClient } from './support/http-client';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { TestApp } from './support/test-app';
import { TestSandbox } from './support/test-sandbox';
import { waitFor } from './support/webhook-endpoint';
import { buildInto, SpawnedWorker } from './support/worker-process';

const ROOT = join(__dirname, '..');
const OUT = `/tmp/payhub-tracing-build-${process.pid}`;

interface ExportedSpan {
  service: string;
  scope: string;
  name: string;
  traceId: string;
  attributes: Record<string, unknown>;
}

/** An OTLP/HTTP (JSON) trace receiver on a free port: what a collector would receive. */
class TraceReceiver {
  readonly spans: ExportedSpan[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<TraceReceiver> {
    let receiver!: TraceReceiver;
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (req.url === '/v1/traces') receiver.take(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new TraceReceiver(server, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    return receiver;
  }

  find(predicate: (span: ExportedSpan) => boolean): ExportedSpan | undefined {
    return this.spans.find(predicate);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private take(body: {
    resourceSpans?: Array<{
      resource?: { attributes?: Attr[] };
      scopeSpans?: Array<{ scope?: { name: string }; spans?: Array<{ name: string; traceId: string; attributes?: Attr[] }> }>;
    }>;
  }): void {
    for (const resource of body.resourceSpans ?? []) {
      const service = String(attributes(resource.resource?.attributes)['service.name']);
      for (const scope of resource.scopeSpans ?? []) {
        for (const span of scope.spans ?? [])
          this.spans.push({ service, scope: scope.scope?.name ?? '', name: span.name, traceId: span.traceId, attributes: attributes(span.attributes) });
      }
    }
  }
}

type Attr = { key: string; value: Record<string, unknown> };
const attributes = (list: Attr[] = []) => Object.fromEntries(list.map((a) => [a.key, Object.values(a.value)[0]]));

/** Which OpenTelemetry modules a process ends up loading once payhub's api and worker modules are loaded. */
function otelModulesLoaded(env: Record<string, string>): string[] {
  const script = `
    require(${JSON.stringify(join(OUT, 'apps/api/src/tracing.js'))});
    require(${JSON.stringify(join(OUT, 'apps/api/src/create-api-app.js'))});
    require(${JSON.stringify(join(OUT, 'apps/worker/src/worker.module.js'))});
    console.log(JSON.stringify([...new Set(Object.keys(require.cache).map((k) => /@opentelemetry\\/[^/]+/.exec(k)?.[0]).filter(Boolean))]));`;
  const run = spawnSync(process.execPath, ['-r', join(OUT, 'scripts/register-paths.js'), '-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_PATH: join(ROOT, 'node_modules'), NODE_ENV: 'test', PAYHUB_SECRET_KEY: 'a'.repeat(64), ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

describe('tracing (OpenTelemetry, only with OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let t: TestApp;
  let sandbox: TestSandbox;
  let receiver: TraceReceiver;
  let api: ChildProcess | undefined;
  const workers: SpawnedWorker[] = [];

  beforeAll(async () => {
    await buildInto(OUT);
    [sandbox, receiver] = await Promise.all([TestSandbox.start(), TraceReceiver.start()]);
    // Its own database: the spawned worker relays the whole outbox and would take other specs' rows.
    t = await TestApp.start({ env: { DATABASE_URL: await isolatedDatabaseUrl('tracing') } });
  }, 120000);
  afterAll(async () => {
    api?.kill('SIGKILL');
    for (const worker of workers) await worker.kill();
    await t?.close();
    await sandbox?.close();
    await receiver?.close();
    rmSync(OUT, { recursive: true, force: true });
  });

  it('without the endpoint no OpenTelemetry SDK, exporter or instrumentation is loaded; with it they are', () => {
    // prom-client itself requires the (no-op) API package for exemplars; nothing that records or patches.
    expect(otelModulesLoaded({}).filter((m) => m !== '@opentelemetry/api')).toEqual([]);
    expect(otelModulesLoaded({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url })).toEqual(
      expect.arrayContaining(['@opentelemetry/api', '@opentelemetry/sdk-trace', '@opentelemetry/instrumentation-mysql2']),
    );
  });

  it("traces a deposit: the HTTP request with its route, MySQL, the provider call with the transaction id, and the worker's jobs", async () => {
    const env = {
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL: t.config.redisUrl,
      QUEUE_PREFIX: t.config.queuePrefix,
      PAYHUB_SECRET_KEY: 'a'.repeat(64),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      WORKER_METRICS_PORT: '0',
    };
    const port = await freePort();
    api = spawn(process.execPath, ['-r', join(OUT, 'scripts/register-paths.js'), join(OUT, 'apps/api/src/main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_PATH: join(ROOT, 'node_modules'),
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        ...env,
      },
      stdio: 'ignore',
    });
    workers.push(await SpawnedWorker.start(OUT, env));
    const http = new HttpClient(`http://127.0.0.1:${port}`);
    await waitFor(async () => (await http.get('/health/live').catch(() => null))?.status === 200, 30000, 'the traced api to answer');

    const merchant = await t.newMerchant();
    await t.app.get(ProviderConfigService).put(merchant.id, 'interkassa', INTERKASSA_DEMO_SEED.config(sandbox.url), 'test');
    await t.app.get(RoutingService).replaceRules(merchant.id, INTERKASSA_DEMO_SEED.rules, 'test');
    const created = await http.post(
      '/v1/deposits',
      {
        merchantTxId: `trace-${randomToken(6)}`,
        userId: 'u-1',
        txType: 'CreditcardDeposit',
        amount: 150000,
        currency: 'UAH',
        country: 'UA',
        card: { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', cvv: '123', holder: 'TRACE TEST' },
        customer: { email: 'trace@payhub.local' },
        redirectUrls: { success: 'https://m.example/ok' },
      },
      { 'x-api-key': merchant.apiKey },
    );
    expect(created.status).toBe(201);
    const txId = created.body.id as string;

    const providerSpan = await waitFor(
      async () => receiver.find((s) => s.name === 'provider interkassa deposit' && s.attributes['payhub.transaction_id'] === txId),
      20000,
      'the provider call span',
    );
    expect(providerSpan).toMatchObject({ service: 'payhub-api', attributes: { 'payhub.provider': 'interkassa', 'payhub.operation': 'deposit' } });
    // The request's span ends after the provider's and may come in a later export batch (a loaded machine).
    const request = await waitFor(
      async () => receiver.find((s) => s.traceId === providerSpan.traceId && s.attributes['http.route'] === '/v1/deposits'),
      20000,
      "the deposit request's span",
    );
    expect(request).toMatchObject({ service: 'payhub-api', scope: '@opentelemetry/instrumentation-http' });
    // The provider's HTTP call and the SQL of the same request belong to the same trace.
    expect(receiver.find((s) => s.traceId === providerSpan.traceId && s.scope === '@opentelemetry/instrumentation-undici')).toBeDefined();
    expect(receiver.find((s) => s.traceId === providerSpan.traceId && s.scope === '@opentelemetry/instrumentation-mysql2')).toBeDefined();

    // The worker delivers the deposit's webhooks: each lane run is a span carrying the transaction id.
    const lane = await waitFor(
      async () => receiver.find((s) => s.service === 'payhub-worker' && s.name === 'webhook lane' && s.attributes['payhub.transaction_id'] === txId),
      20000,
      'the webhook lane span',
    );
    expect(lane.attributes).toMatchObject({ 'payhub.transaction_id': txId });
    // Bull jobs are spans too: the worker's scheduled jobs run within the test.
    await waitFor(
      async () => receiver.find((s) => s.service === 'payhub-worker' && s.name.startsWith('job ') && typeof s.attributes['payhub.queue'] === 'string'),
      20000,
      'a Bull job span',
    );

    // Redis commands are traced inside a request: the readiness probe pings Redis and reads the heartbeats.
    expect((await http.get('/health/ready')).status).toBe(200);
    const probe = await waitFor(
      async () => receiver.find((s) => s.service === 'payhub-api' && s.attributes['http.route'] === '/health/ready'),
      20000,
      'the readiness request span',
    );
    await waitFor(
      async () => receiver.find((s) => s.traceId === probe.traceId && s.scope === '@opentelemetry/instrumentation-ioredis'),
      20000,
      'a Redis span in the readiness trace',
    );
  }, 90000);
});
