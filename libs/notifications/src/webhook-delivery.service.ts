import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { DataSource, In } from 'typeorm';
import type { Dispatcher } from 'undici';
import { APP_CONFIG, AppConfig, HttpCallResult, inSpan, MetricsService, outboundUrlIssue, policedDispatcher, randomToken } from '@payhub/common';
import { BatchStatement, SqlBatch } from '@payhub/database';
import { MerchantsService, webhookSigningSecrets } from '@payhub/merchants';
import { OutboxEntity, TransactionQueryService } from '@payhub/transactions';
import { StatementWriter } from './statement-writer';
import { WebhookAttemptEntity, WebhookAttemptOutcome } from './webhook-attempt.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookLanes } from './webhook-lanes';
import { LANE_LEASE_MARGIN_MS, nextRetryDelay, WEBHOOK_OPTIONS, WebhookOptions } from './webhook-options';
import { OutboxRelayService, RelayHandoff } from './outbox-relay.service';
import { postWebhook } from './webhook-post';

const CLAIM_BATCH = 200;
/**
 * Besides the relay's 1 s timer, each consuming worker relays the outbox itself this often, briefly: events
 * reach their lanes within a fraction of a second. Relays running at once are harmless (idempotent by event id).
 */
const RELAY_EVERY_MS = 250;
const RELAY_SLICE_MS = 150;

/**
 * Sends merchant webhooks. Each worker process claims due lanes (one per transaction) with a lease,
 * sends each lane's deliveries oldest first, one at a time, and writes the results behind the calls in
 * batches. No MySQL connection is held during a request; a process that dies leaves leases that run out.
 * A merchant holds at most `maxLanesPerMerchant` of the process's lanes, so a slow endpoint slows only itself.
 */
@Injectable()
export class WebhookDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  /** Refuses internal addresses after DNS resolution, at connect time. */
  private readonly dispatcher: Dispatcher;
  private readonly writer: StatementWriter;
  /** Lease holder prefix of this process; each claim adds a sequence number. */
  private readonly holder = `${hostname().slice(0, 24)}:${process.pid}:${randomToken(4)}`;
  private claims = 0;
  private readonly lanesOfMerchant = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private lanesInFlight = 0;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastRelay = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly merchants: MerchantsService,
    private readonly transactions: TransactionQueryService,
    private readonly batch: SqlBatch,
    private readonly relay: OutboxRelayService,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    this.writer = new StatementWriter(batch);
    this.dispatcher = policedDispatcher(this.config.outbound);
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
    await this.dispatcher.close();
  }

  private get leaseMs(): number {
    return this.options.timeoutMs + LANE_LEASE_MARGIN_MS;
  }

  /** Starts claiming lanes until `stop()`: the worker runs this; the api never does. */
  start(): void {
    this.stopping = false;
    this.relay.attach(this.handoff);
    this.loop ??= this.run();
  }

  /** Claims no more lanes, lets the lanes in flight finish and their results be written. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.relay.attach(null);
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** One round: claims what may be claimed now and starts those lanes. Answers how many lanes it started. */
  async claimAndStart(now = new Date()): Promise<number> {
    const room = this.options.maxLanesInFlight - this.lanesInFlight;
    if (room <= 0) return 0;
    const token = `${this.holder}:${++this.claims}`;
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const full = [...this.lanesOfMerchant].filter(([, n]) => n >= this.options.maxLanesPerMerchant).map(([m]) => m);
    const lanes = await WebhookLanes.claim(this.dataSource, token, Math.min(room, CLAIM_BATCH), now, leaseUntil, full);
    if (!lanes.length) return 0;
    const [deliveries, urls] = await Promise.all([
      this.dataSource
        .getRepository(WebhookDeliveryEntity)
        .find({ where: { transactionId: In(lanes.map((l) => l.transactionId)), status: 'pending' }, order: { outboxId: 'ASC' } }),
      this.transactions.notificationUrls(lanes.map((l) => l.transactionId)),
    ]);
    const byLane = new Map<string, WebhookDeliveryEntity[]>();
    for (const d of deliveries) byLane.set(d.transactionId, [...(byLane.get(d.transactionId) ?? []), d]);
    const over: BatchStatement[] = [];
    for (const lane of lanes) {
      if ((this.lanesOfMerchant.get(lane.merchantId) ?? 0) >= this.options.maxLanesPerMerchant) {
        // Claimed in the same batch as the merchant's last free lanes: handed straight back, due as it was.
        over.push(...WebhookLanes.release(this.batch, lane, token, now, now));
        continue;
      }
      this.hold(lane.merchantId);
      this.launch(lane.merchantId, lane.transactionId, () =>
        this.runLane(byLane.get(lane.transactionId) ?? [], urls.get(lane.transactionId) ?? null, leaseUntil, (next) =>
          WebhookLanes.release(this.batch, lane, token, next, new Date()),
        ),
      );
    }
    if (over.length) void this.writer.write(over);
    return lanes.length - over.length / 2;
  }

  /**
   * What the relay hands over: a transaction's only event in flight, written leased to this process, is
   * sent from here with no lane row at all (see OutboxRelayService). Counted as a lane of its merchant.
   */
  private readonly handoff: RelayHandoff = {
    reserve: (rows: OutboxEntity[]) => {
      const taken: OutboxEntity[] = [];
      if (!this.stopping)
        for (const row of rows) {
          if (this.lanesInFlight >= this.options.maxLanesInFlight) break;
          if ((this.lanesOfMerchant.get(row.merchantId) ?? 0) >= this.options.maxLanesPerMerchant) continue;
          this.hold(row.merchantId);
          taken.push(row);
        }
      return { leaseUntil: new Date(Date.now() + this.leaseMs), rows: taken };
    },
    start: (leaseUntil: Date, deliveries: WebhookDeliveryEntity[]) => void this.startLaneless(leaseUntil, deliveries),
    cancel: (rows: OutboxEntity[]) => {
      for (const row of rows) this.unhold(row.merchantId);
    },
  };

  private async startLaneless(leaseUntil: Date, deliveries: WebhookDeliveryEntity[]): Promise<void> {
    let urls: Map<string, string>;
    try {
      urls = await this.transactions.notificationUrls(deliveries.map((d) => d.transactionId));
    } catch (error) {
      this.logger.error(
        { error: (error as Error).message, deliveries: deliveries.length },
        'webhook deliveries not started; the sweep gives them lanes after their lease',
      );
      for (const d of deliveries) this.unhold(d.merchantId);
      return;
    }
    for (const delivery of deliveries) {
      // Leased here, so due now for this process: what the row says (the lease's end) is for everyone else.
      const due = { ...delivery, nextAttemptAt: null };
      this.launch(delivery.merchantId, delivery.transactionId, () =>
        this.runLane([due], urls.get(delivery.transactionId) ?? null, leaseUntil, (next) => [
          WebhookLanes.settleLaneless(this.batch, delivery, next, new Date()),
        ]),
      );
    }
  }

  /** Counts a lane of the merchant as in flight here (claimed, or reserved for the relay's handoff). */
  private hold(merchantId: string): void {
    this.lanesOfMerchant.set(merchantId, (this.lanesOfMerchant.get(merchantId) ?? 0) + 1);
    this.lanesInFlight++;
  }

  private unhold(merchantId: string): void {
    this.lanesInFlight--;
    const left = (this.lanesOfMerchant.get(merchantId) ?? 1) - 1;
    if (left > 0) this.lanesOfMerchant.set(merchantId, left);
    else this.lanesOfMerchant.delete(merchantId);
    this.wake?.();
  }

  /** Runs one held lane; with tracing on, each lane run is a span carrying its transaction (webhooks are no Bull jobs). */
  private launch(merchantId: string, transactionId: string, work: () => Promise<void>): void {
    const run: Promise<void> = inSpan('webhook lane', { 'payhub.transaction_id': transactionId }, work)
      .catch((error: Error) => this.logger.error({ transactionId, error: error.message }, 'webhook lane failed; its lease will run out'))
      .finally(() => {
        this.running.delete(run);
        this.unhold(merchantId);
      });
    this.running.add(run);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let started = 0;
      try {
        if (Date.now() - this.lastRelay >= RELAY_EVERY_MS) {
          this.lastRelay = Date.now();
          await this.relay.relay(RELAY_SLICE_MS);
        }
        started = await this.claimAndStart();
      } catch (error) {
        this.logger.error({ error: (error as Error).message }, 'could not relay the outbox or claim webhook lanes');
      }
      if (this.stopping) break;
      // Claimed a full batch with room left: look again at once. Otherwise wait for the poll, or until
      // enough lanes ended to make a claim worth its queries.
      if (started >= CLAIM_BATCH && this.lanesInFlight < this.options.maxLanesInFlight) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(this.options.idlePollMs, RELAY_EVERY_MS));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = () => {
          if (this.stopping || this.options.maxLanesInFlight - this.lanesInFlight >= Math.min(CLAIM_BATCH, this.options.maxLanesInFlight / 4)) done();
        };
      });
      this.wake = null;
    }
    // Lanes in flight include those the relay reserved and has not started yet; a lease bounds the wait.
    const until = Date.now() + this.leaseMs;
    while ((this.running.size || this.lanesInFlight > 0) && Date.now() < until)
      await Promise.race([Promise.allSettled([...this.running]), new Promise((resolve) => setTimeout(resolve, 20))]);
    await this.writer.drain();
  }

  /** Sends the lane's due deliveries in order while the lease leaves time for one more request, then hands the lane back. */
  private async runLane(
    pending: WebhookDeliveryEntity[],
    notificationUrl: string | null,
    leaseUntil: Date,
    release: (next: Date | null) => BatchStatement[],
  ): Promise<void> {
    let next: Date | null = null;
    let sent = 0;
    for (const delivery of pending) {
      const now = Date.now();
      if (delivery.nextAttemptAt && delivery.nextAttemptAt.getTime() > now) {
        next = delivery.nextAttemptAt;
        break;
      }
      if (sent >= this.options.laneBatch || now + this.options.timeoutMs + 1000 > leaseUntil.getTime()) {
        next = new Date(now);
        break;
      }
      sent++;
      const retryAt = await this.attempt(delivery, notificationUrl);
      if (retryAt) {
        next = retryAt;
        break;
      }
    }
    await this.writer.write(release(next));
  }

  /**
   * One delivery: the transaction's own notificationUrl wins over the merchant's webhook URL (read through
   * a 30 s cache). Answers when it is to be tried again, or null when it is done with (delivered, failed
   * for good, skipped) and the lane may go on.
   */
  private async attempt(delivery: WebhookDeliveryEntity, notificationUrl: string | null): Promise<Date | null> {
    const merchant = await this.merchants.webhookTarget(delivery.merchantId);
    const url = notificationUrl ?? merchant.url;
    if (!url) {
      void this.writer.write([
        this.batch.update(
          WebhookDeliveryEntity,
          { status: 'skipped', nextAttemptAt: null, lastError: 'neither the transaction nor the merchant has a webhook URL', updatedAt: new Date() },
          { id: delivery.id, status: 'pending' },
        ),
      ]);
      this.metrics.webhookAttempt('skipped', delivery.eventId);
      return null;
    }
    // Checked again at send time: the URL was saved under an older policy, or its name now resolves elsewhere.
    const refused = outboundUrlIssue(url, this.config.outbound);
    const result: HttpCallResult = refused
      ? { kind: 'not_sent', error: `refused by the outbound URL policy: the URL ${refused}`, elapsedMs: 0 }
      : await postWebhook({
          url,
          eventId: delivery.eventId,
          payload: delivery.payload,
          secrets: webhookSigningSecrets(merchant),
          timeoutMs: this.options.timeoutMs,
          dispatcher: this.dispatcher,
          maxResponseBytes: this.options.responseExcerptBytes,
        });
    const delivered = result.kind === 'response' && result.status >= 200 && result.status < 300;
    const attemptNo = delivery.attemptCount + 1;
    const step = delivery.scheduleStep + 1;
    const retryIn = delivered ? null : nextRetryDelay(step, this.options.retryDelaysMs);
    const finishedAt = new Date();
    const nextAttemptAt = retryIn === null ? null : new Date(finishedAt.getTime() + retryIn);
    const error = result.kind === 'response' ? (delivered ? null : `HTTP ${result.status}`) : result.error;

    void this.writer.write([
      this.batch.insert(WebhookAttemptEntity, {
        deliveryId: delivery.id,
        attemptNo,
        kind: delivery.attemptCount >= step ? 'resend' : 'auto',
        url: url.slice(0, 2048),
        outcome: outcomeOf(result, delivered),
        statusCode: result.kind === 'response' ? result.status : null,
        latencyMs: result.elapsedMs,
        responseExcerpt: result.kind === 'response' ? truncateUtf8(result.body, this.options.responseExcerptBytes) || null : null,
        error: error?.slice(0, 512) ?? null,
        createdAt: finishedAt,
      }),
      this.batch.update(
        WebhookDeliveryEntity,
        {
          status: delivered ? 'delivered' : retryIn === null ? 'failed' : 'pending',
          attemptCount: attemptNo,
          scheduleStep: step,
          nextAttemptAt,
          lastAttemptAt: finishedAt,
          lastStatusCode: result.kind === 'response' ? result.status : null,
          lastError: error?.slice(0, 512) ?? null,
          url: url.slice(0, 2048),
          deliveredAt: delivered ? finishedAt : null,
          updatedAt: finishedAt,
        },
        { id: delivery.id, status: 'pending', attemptCount: delivery.attemptCount },
      ),
    ]);
    this.metrics.webhookAttempt(outcomeOf(result, delivered), delivery.eventId);
    if (!delivered)
      this.logger.warn(
        { deliveryId: delivery.id, attemptNo, error, retryIn },
        retryIn === null ? 'webhook delivery failed for good' : 'webhook attempt failed',
      );
    return nextAttemptAt;
  }
}

/** At most `bytes` bytes of UTF-8, never half a character. */
function truncateUtf8(text: string, bytes: number): string {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= bytes) return text;
  return encoded
    .subarray(0, bytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

function outcomeOf(result: HttpCallResult, delivered: boolean): WebhookAttemptOutcome {
  if (delivered) return 'delivered';
  return result.kind === 'response' ? 'http_error' : result.kind;
}
