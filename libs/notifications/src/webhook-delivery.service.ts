import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import type { Dispatcher } from 'undici';
import { APP_CONFIG, AppConfig, httpCall, HttpCallResult, JOB_OPTIONS, JOBS, MetricsService, outboundUrlIssue, policedDispatcher, QUEUES } from '@payhub/common';
import { SqlBatch, updateRows } from '@payhub/database';
import { MerchantsService, webhookSigningSecrets } from '@payhub/merchants';
import { TransactionQueryService } from '@payhub/transactions';
import { DeliverWebhookJob, laneLockName } from './lane';
import { tryNamedLock } from './named-lock';
import { WebhookAttemptEntity, WebhookAttemptOutcome } from './webhook-attempt.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { nextRetryDelay, WEBHOOK_OPTIONS, WebhookOptions } from './webhook-options';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

export type LaneOutcome = 'busy' | 'idle' | 'waiting' | 'handed_on';

/**
 * Sends a transaction's webhooks, oldest first, one at a time. The lane lock makes "one at a time"
 * hold across worker processes; taking only the head of the lane makes "oldest first" hold.
 */
@Injectable()
export class WebhookDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  /** Refuses internal addresses after DNS resolution, at connect time. */
  private readonly dispatcher: Dispatcher;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue<DeliverWebhookJob>,
    private readonly merchants: MerchantsService,
    private readonly transactions: TransactionQueryService,
    private readonly batch: SqlBatch,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    this.dispatcher = policedDispatcher(config.outbound);
  }

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.close();
  }

  async processLane(transactionId: string): Promise<LaneOutcome> {
    // Whoever holds the lane sends everything due in it, so a job that finds it busy has nothing to do.
    const lock = await tryNamedLock(this.dataSource, laneLockName(transactionId));
    if (!lock) return 'busy';
    try {
      // A transaction's own notificationUrl never changes: read once per lane.
      let notificationUrl: string | null | undefined;
      for (let sent = 0; sent < this.options.laneBatch; sent++) {
        const head = await this.dataSource.getRepository(WebhookDeliveryEntity).createQueryBuilder('d')
          .where('d.transaction_id = :transactionId AND d.status = :status', { transactionId, status: 'pending' })
          .orderBy('d.outbox_id', 'ASC').limit(1).getOne();
        if (!head) return 'idle';
        // Its own delayed job (or the sweep) comes back for it; later events wait behind it.
        if (head.nextAttemptAt && head.nextAttemptAt.getTime() > Date.now()) return 'waiting';
        notificationUrl ??= (await this.transactions.get(transactionId)).notificationUrl;
        await this.attempt(head, notificationUrl);
      }
      await this.queue.add(JOBS.deliverWebhook, { transactionId }, { ...JOB_OPTIONS.deliverWebhook, jobId: `lane:${transactionId}:${Date.now()}` });
      return 'handed_on';
    } finally {
      await lock.release();
    }
  }

  /** The transaction's own notificationUrl wins over the merchant's webhook URL (read through a 30 s cache). */
  private async attempt(delivery: WebhookDeliveryEntity, notificationUrl: string | null): Promise<void> {
    const merchant = await this.merchants.webhookTarget(delivery.merchantId);
    const url = notificationUrl ?? merchant.url;
    const now = new Date();
    if (!url) {
      await updateRows(this.dataSource, WebhookDeliveryEntity, { status: 'skipped', nextAttemptAt: null, lastError: 'neither the transaction nor the merchant has a webhook URL', updatedAt: now }, 'id = :id AND status = :status', { id: delivery.id, status: 'pending' });
      this.metrics.webhookAttempt('skipped', delivery.eventId);
      return;
    }
    const body = JSON.stringify(delivery.payload);
    // Checked again at send time: the URL was saved under an older policy, or its name now resolves elsewhere.
    const refused = outboundUrlIssue(url, this.config.outbound);
    const result: HttpCallResult = refused ? { kind: 'not_sent', error: `refused by the outbound URL policy: the URL ${refused}`, elapsedMs: 0 } : await httpCall({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'user-agent': 'payhub-webhooks/1', [SIGNATURE_HEADER]: signWebhook(body, webhookSigningSecrets(merchant)), 'payhub-event-id': delivery.eventId },
      body,
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

    // The attempt and the delivery's new state: one DB transaction, one round trip.
    await this.batch.transaction([
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
      this.batch.update(WebhookDeliveryEntity, {
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
      }, { id: delivery.id, status: 'pending', attemptCount: delivery.attemptCount }),
    ]);
    this.metrics.webhookAttempt(outcomeOf(result, delivered), delivery.eventId);

    if (retryIn !== null) {
      // Lost if the process dies right here; the sweep enqueues it again once it is overdue.
      await this.queue.add(JOBS.deliverWebhook, { transactionId: delivery.transactionId }, { ...JOB_OPTIONS.deliverWebhook, jobId: `retry:${delivery.id}:${attemptNo}`, delay: retryIn });
    }
    if (!delivered) this.logger.warn({ deliveryId: delivery.id, attemptNo, error, retryIn }, retryIn === null ? 'webhook delivery failed for good' : 'webhook attempt failed');
  }
}

/** At most `bytes` bytes of UTF-8, never half a character. */
function truncateUtf8(text: string, bytes: number): string {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= bytes) return text;
  return encoded.subarray(0, bytes).toString('utf8').replace(/\uFFFD$/, '');
}

function outcomeOf(result: HttpCallResult, delivered: boolean): WebhookAttemptOutcome {
  if (delivered) return 'delivered';
  return result.kind === 'response' ? 'http_error' : result.kind;
}
