import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WebhookAttemptEntity, WebhookDeliveryEntity } from '@payhub/notifications';
import { OutboxEntity, TransactionStateService, TxStatus } from '@payhub/transactions';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { TestApp } from './support/test-app';
import { waitFor, WebhookEndpoint } from './support/webhook-endpoint';
import { transactionThrough } from './support/webhook-fixtures';

const ROOT = join(__dirname, '..');
/** Its own output directory: other engineers build into dist/ at the same time. */
const OUT = '/tmp/payhub-worker-build';
const { REGISTERED, PROCESSING, SUCCESSFUL } = TxStatus;

/** The compiled worker as production runs it (`npm run start:worker`), pointed at this spec's database and queues. */
class WorkerProcess {
  readonly lines: Array<Record<string, unknown>> = [];
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {}

  static async start(name: string, env: Record<string, string>): Promise<WorkerProcess> {
    const child = spawn(process.execPath, ['-r', join(OUT, 'scripts/register-paths.js'), join(OUT, 'apps/worker/src/main.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_PATH: join(ROOT, 'node_modules'), NODE_ENV: 'test', LOG_LEVEL: 'debug', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new WorkerProcess(name, child);
    let ready = false;
    let buffered = '';
    let errors = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        if (line.startsWith('payhub worker running')) ready = true;
        else if (line.startsWith('{')) worker.lines.push(JSON.parse(line));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`worker ${name} exited (${child.exitCode}): ${errors}`);
        return ready;
      },
      20000,
      `worker ${name} to boot`,
    );
    return worker;
  }

  /** Job ids of the scheduled jobs this process ran. */
  scheduledRuns(): string[] {
    return this.lines.filter((l) => l.msg === 'scheduled job ran').map((l) => String(l.jobId));
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}

describe('worker processes', () => {
  let t: TestApp;
  let env: Record<string, string>;
  let state: TransactionStateService;
  const workers: WorkerProcess[] = [];
  const endpoints: WebhookEndpoint[] = [];

  beforeAll(async () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    // Other engineers' unfinished files may fail the type check; what matters is that the worker was emitted.
    await promisify(execFile)(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', OUT], { cwd: ROOT }).catch(() => undefined);
    if (!existsSync(join(OUT, 'apps/worker/src/main.js'))) throw new Error(`the build did not emit ${OUT}/apps/worker/src/main.js`);
    const databaseUrl = await isolatedDatabaseUrl('processes');
    t = await TestApp.start({ env: { DATABASE_URL: databaseUrl } });
    state = t.app.get(TransactionStateService);
    env = { DATABASE_URL: databaseUrl, REDIS_URL: t.config.redisUrl, QUEUE_PREFIX: t.config.queuePrefix, PAYHUB_SECRET_KEY: 'a'.repeat(64) };
  }, 60000);
  afterAll(async () => {
    for (const worker of workers) await worker.kill();
    for (const endpoint of endpoints) await endpoint.close();
    await t?.close();
  });

  const startWorker = async (name: string) => {
    const worker = await WorkerProcess.start(name, env);
    workers.push(worker);
    return worker;
  };
  const endpoint = async (reply: Parameters<typeof WebhookEndpoint.start>[0]) => {
    const e = await WebhookEndpoint.start(reply);
    endpoints.push(e);
    return e;
  };
  const deliveriesOf = (ids: string[]) =>
    t.db.getRepository(WebhookDeliveryEntity).createQueryBuilder('d').where('d.transaction_id IN (:...ids)', { ids }).orderBy('d.outbox_id', 'ASC').getMany();

  it('loses nothing when the worker is killed (SIGKILL) mid-delivery', async () => {
    let first = true;
    const hooks = await endpoint(() => {
      if (!first) return { status: 200 };
      first = false;
      return 'hang';
    });
    const merchant = await t.newMerchant();
    // Committed while no worker runs: the outbox holds them until a relay picks them up.
    const tx = await transactionThrough(state, merchant.id, [REGISTERED, PROCESSING, SUCCESSFUL], { notificationUrl: hooks.url });

    const doomed = await startWorker('doomed');
    await waitFor(async () => hooks.received.length >= 1, 15000, 'the first webhook to reach the endpoint');
    await doomed.kill('SIGKILL');

    await startWorker('successor');
    const deliveries = await waitFor(
      async () => {
        const rows = await deliveriesOf([tx.id]);
        return rows.length === 3 && rows.every((d) => d.status === 'delivered') ? rows : null;
      },
      25000,
      'every webhook to be delivered after the kill',
    );

    const [registered] = deliveries;
    // The killed attempt reached the merchant but was never answered: it is sent again, then the rest in order.
    expect(hooks.received.map((h) => [h.eventId, h.status])).toEqual([
      [registered.eventId, REGISTERED],
      [registered.eventId, REGISTERED],
      [deliveries[1].eventId, PROCESSING],
      [deliveries[2].eventId, SUCCESSFUL],
    ]);
    expect(hooks.maxInFlightPerTransaction).toBe(1);
    const attempts = await t.db
      .getRepository(WebhookAttemptEntity)
      .createQueryBuilder('a')
      .where('a.delivery_id IN (:...ids)', { ids: deliveries.map((d) => d.id) })
      .getMany();
    expect(attempts.map((a) => a.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
    expect((await t.db.getRepository(OutboxEntity).findBy({ transactionId: tx.id })).every((o) => o.publishedAt)).toBe(true);
    for (const worker of workers) await worker.kill();
  }, 60000);

  it("loses nothing when the worker is killed while sending a transaction's only event, which it took from the relay without a lane", async () => {
    let first = true;
    const hooks = await endpoint(() => {
      if (!first) return { status: 200 };
      first = false;
      return 'hang';
    });
    const merchant = await t.newMerchant();
    const doomed = await startWorker('doomed-single');
    const tx = await transactionThrough(state, merchant.id, [REGISTERED], { notificationUrl: hooks.url });
    await waitFor(async () => hooks.received.length >= 1, 15000, 'the webhook to reach the endpoint');
    // Sent without a lane row: only the delivery's own lease (next_attempt_at) keeps others off it.
    const lanes: Array<{ n: number }> = await t.db.query('SELECT COUNT(*) AS n FROM webhook_lanes WHERE transaction_id = ?', [tx.id]);
    expect(Number(lanes[0].n)).toBe(0);
    await doomed.kill('SIGKILL');

    // The successor's sweep gives the delivery a lane once the lease (timeout + 5 s) and the sweep's grace have passed.
    await startWorker('successor-single');
    const [delivery] = await waitFor(
      async () => {
        const rows = await deliveriesOf([tx.id]);
        return rows.length === 1 && rows[0].status === 'delivered' ? rows : null;
      },
      60000,
      'the webhook to be delivered after the kill',
    );
    expect(hooks.received.map((h) => h.eventId)).toEqual([delivery.eventId, delivery.eventId]);
    const attempts = await t.db.getRepository(WebhookAttemptEntity).findBy({ deliveryId: delivery.id });
    expect(attempts.map((a) => a.outcome)).toEqual(['delivered']);
    for (const worker of workers) await worker.kill();
  }, 100000);

  it('two workers at once run each scheduled job once and never deliver one transaction in parallel', async () => {
    const hooks = await endpoint(() => ({ status: 200, delayMs: 80 }));
    const a = await startWorker('a');
    const b = await startWorker('b');
    const merchant = await t.newMerchant();
    const txs = await Promise.all(
      Array.from({ length: 6 }, () => transactionThrough(state, merchant.id, [REGISTERED, PROCESSING, SUCCESSFUL], { notificationUrl: hooks.url, gapMs: 20 })),
    );
    const ids = txs.map((tx) => tx.id);

    const deliveries = await waitFor(
      async () => {
        const rows = await deliveriesOf(ids);
        return rows.length === 18 && rows.every((d) => d.status === 'delivered') ? rows : null;
      },
      25000,
      'all 18 webhooks',
    );
    // Let several more timer ticks pass with both workers up.
    await new Promise((r) => setTimeout(r, 3000));

    expect(hooks.received).toHaveLength(18);
    expect(new Set(hooks.received.map((h) => h.eventId)).size).toBe(18);
    expect(hooks.maxInFlightPerTransaction).toBe(1);
    for (const id of ids) {
      expect(hooks.received.filter((h) => h.transactionId === id).map((h) => h.status)).toEqual([REGISTERED, PROCESSING, SUCCESSFUL]);
    }
    const attempts = await t.db
      .getRepository(WebhookAttemptEntity)
      .createQueryBuilder('a')
      .where('a.delivery_id IN (:...ids)', { ids: deliveries.map((d) => d.id) })
      .getCount();
    expect(attempts).toBe(18);

    const runs = [...a.scheduledRuns(), ...b.scheduledRuns()];
    const relayTicks = runs.filter((id) => id.startsWith('relay-outbox:'));
    expect(relayTicks.length).toBeGreaterThanOrEqual(4);
    expect(runs.length).toBe(new Set(runs).size);
    // Both processes were up and pulling jobs the whole time.
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
  }, 60000);
});
