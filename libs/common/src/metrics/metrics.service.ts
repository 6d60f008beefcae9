import { collectDefaultMetrics, Counter, Gauge, Histogram, Metric, Registry } from 'prom-client';
import { timeOfId } from '../ids';

/** Seconds; payhub answers most requests in tens of milliseconds, a slow provider call inside one takes seconds. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds, up to past the longest provider timeout (PROVIDER_TIMEOUT_MS is at most 120 s). */
export const PROVIDER_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120];
/** Seconds from the status change to the merchant's 2xx: sub-second when healthy, up to the ~24 h retry horizon. */
export const WEBHOOK_LAG_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

export type CallbackResult = 'applied' | 'duplicate' | 'rejected' | 'failed';
export type ProviderCallOutcome = string;

const GAUGE_NAMES = {
  webhookPending: 'payhub_webhook_pending',
  statusSyncDue: 'payhub_status_sync_due',
  oldestUnfinished: 'payhub_oldest_unfinished_transaction_age_seconds',
  inconsistent: 'payhub_inconsistent_transactions',
  queueJobs: 'payhub_queue_jobs',
  workersAlive: 'payhub_workers_alive',
  workerHeartbeatAge: 'payhub_worker_heartbeat_age_seconds',
} as const;

/** Values of the label `route` for requests that matched no route: a raw path would be unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Every metric payhub exports, by the names the operations contract fixes. Labels take only bounded
 * values (route patterns, provider ids, statuses, outcomes), never an id. With metrics disabled every
 * method is a no-op and the registry is empty, which is what the benchmark compares against.
 * One registry per process (per app in tests), never prom-client's global one.
 */
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: 'payhub_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status code',
    labelNames: ['route', 'method', 'status'],
    registers: [],
  });
  private readonly httpDuration = new Histogram({
    name: 'payhub_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and method',
    labelNames: ['route', 'method'],
    buckets: HTTP_DURATION_BUCKETS,
    registers: [],
  });
  private readonly providerRequests = new Counter({
    name: 'payhub_provider_requests_total',
    help: 'Calls to payment providers, by provider, operation and outcome (the status the provider answered, or error when the call threw)',
    labelNames: ['provider', 'operation', 'outcome'],
    registers: [],
  });
  private readonly providerDuration = new Histogram({
    name: 'payhub_provider_request_duration_seconds',
    help: 'Time a provider call took, by provider and operation',
    labelNames: ['provider', 'operation'],
    buckets: PROVIDER_DURATION_BUCKETS,
    registers: [],
  });
  private readonly transactions = new Counter({
    name: 'payhub_transactions_total',
    help: 'Transaction status changes, by transaction type, provider and the status entered (creation counts as entering the first status)',
    labelNames: ['tx_type', 'provider', 'status'],
    registers: [],
  });
  private readonly callbacks = new Counter({
    name: 'payhub_callbacks_total',
    help: 'Provider callbacks received, by provider and result (applied, duplicate, rejected, failed)',
    labelNames: ['provider', 'result'],
    registers: [],
  });
  private readonly webhookDeliveries = new Counter({
    name: 'payhub_webhook_deliveries_total',
    help: 'Merchant webhook delivery attempts, by outcome',
    labelNames: ['outcome'],
    registers: [],
  });
  private readonly webhookLag = new Histogram({
    name: 'payhub_webhook_delivery_lag_seconds',
    help: 'Time from the status change (event created) to the merchant accepting its webhook',
    buckets: WEBHOOK_LAG_BUCKETS,
    registers: [],
  });
  private readonly conflicts = new Counter({
    name: 'payhub_conflicts_total',
    help: 'Provider results that contradicted a final status and were stored as conflicts',
    registers: [],
  });

  /** Database- and queue-derived gauges: exported only by the one process holding the collector lease. */
  readonly gauges: {
    webhookPending: Gauge;
    statusSyncDue: Gauge;
    oldestUnfinished: Gauge<'status'>;
    inconsistent: Gauge;
    queueJobs: Gauge<'queue' | 'state'>;
    workersAlive: Gauge;
    workerHeartbeatAge: Gauge;
  } = {
    webhookPending: new Gauge({
      name: GAUGE_NAMES.webhookPending,
      help: 'Merchant webhooks not yet delivered (pending, including those waiting for a retry)',
      registers: [],
    }),
    statusSyncDue: new Gauge({ name: GAUGE_NAMES.statusSyncDue, help: 'Unfinished transactions whose next status check is due now', registers: [] }),
    oldestUnfinished: new Gauge({
      name: GAUGE_NAMES.oldestUnfinished,
      help: 'Seconds since the least recently changed transaction of each unfinished status last changed (0: none)',
      labelNames: ['status'],
      registers: [],
    }),
    inconsistent: new Gauge({
      name: GAUGE_NAMES.inconsistent,
      help: 'Transactions in INCONSISTENT (outcome unknown, waiting for a status check)',
      registers: [],
    }),
    queueJobs: new Gauge({ name: GAUGE_NAMES.queueJobs, help: 'Bull jobs per queue and state', labelNames: ['queue', 'state'], registers: [] }),
    workersAlive: new Gauge({ name: GAUGE_NAMES.workersAlive, help: 'Worker processes whose heartbeat is fresh', registers: [] }),
    workerHeartbeatAge: new Gauge({
      name: GAUGE_NAMES.workerHeartbeatAge,
      help: 'Seconds since the newest worker heartbeat (+Inf when no worker has beaten for minutes)',
      registers: [],
    }),
  };

  constructor(readonly enabled: boolean) {
    if (!enabled) return;
    const all: Metric<string>[] = [
      this.httpRequests,
      this.httpDuration,
      this.providerRequests,
      this.providerDuration,
      this.transactions,
      this.callbacks,
      this.webhookDeliveries,
      this.webhookLag,
      this.conflicts,
    ];
    for (const metric of all) this.registry.registerMetric(metric);
    collectDefaultMetrics({ register: this.registry });
  }

  httpRequest(route: string, method: string, status: number, seconds: number): void {
    if (!this.enabled) return;
    this.httpRequests.inc({ route, method, status: String(status) });
    this.httpDuration.observe({ route, method }, seconds);
  }

  providerCall(provider: string, operation: string, outcome: ProviderCallOutcome, seconds: number): void {
    if (!this.enabled) return;
    this.providerRequests.inc({ provider, operation, outcome });
    this.providerDuration.observe({ provider, operation }, seconds);
  }

  transactionStatus(txType: string, provider: string | null, status: string): void {
    if (this.enabled) this.transactions.inc({ tx_type: txType, provider: provider ?? 'none', status });
  }

  callback(provider: string, result: CallbackResult): void {
    if (this.enabled) this.callbacks.inc({ provider, result });
  }

  /** One attempt at a merchant webhook; a delivered one also records how long after its event it arrived. */
  webhookAttempt(outcome: string, eventId: string): void {
    if (!this.enabled) return;
    this.webhookDeliveries.inc({ outcome });
    const createdAt = outcome === 'delivered' ? timeOfId(eventId) : null;
    if (createdAt !== null) this.webhookLag.observe(Math.max(0, (Date.now() - createdAt) / 1000));
  }

  /**
   * The collector lease holder exports the gauges; every other process leaves them out of its answer
   * entirely (an unlabelled gauge cannot be left empty), so summing or taking the max never meets a stale copy.
   */
  exportGauges(on: boolean): void {
    if (!this.enabled) return;
    for (const key of Object.keys(GAUGE_NAMES) as Array<keyof typeof GAUGE_NAMES>) {
      const registered = this.registry.getSingleMetric(GAUGE_NAMES[key]) !== undefined;
      if (on && !registered) this.registry.registerMetric(this.gauges[key]);
      if (!on && registered) {
        this.registry.removeSingleMetric(GAUGE_NAMES[key]);
        this.gauges[key].reset();
      }
    }
  }

  conflict(): void {
    if (this.enabled) this.conflicts.inc();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
