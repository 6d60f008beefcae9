import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { JOB_OPTIONS, JOBS, newId, QUEUES } from '@payhub/common';
import { OutboxService } from '@payhub/transactions';
import { DeliverWebhookJob, LANE_LOCK_PREFIX } from './lane';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WEBHOOK_OPTIONS, WebhookOptions } from './webhook-options';

/**
 * Moves outbox rows to the notifications queue. Order of the steps is what makes a crash harmless:
 * the delivery row is written (idempotent by event id), then the job is enqueued (idempotent by job
 * id = event id), and only then is the outbox row marked published. A crash anywhere repeats steps
 * that are no-ops the second time; nothing is lost.
 */
@Injectable()
export class OutboxRelayService {
  private readonly logger = new Logger(OutboxRelayService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue<DeliverWebhookJob>,
    private readonly outbox: OutboxService,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
  ) {}

  async relay(maxBatches = 10): Promise<number> {
    let relayed = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const rows = await this.outbox.unpublished(this.options.relayBatchSize);
      if (!rows.length) break;
      const now = new Date();
      await this.dataSource.createQueryBuilder().insert().into(WebhookDeliveryEntity).values(rows.map((row) => ({
        id: newId('whd'),
        eventId: row.eventId,
        outboxId: row.id,
        merchantId: row.merchantId,
        transactionId: row.transactionId,
        type: row.type,
        payload: row.payload,
        status: 'pending' as const,
        attemptCount: 0,
        scheduleStep: 0,
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      })) as QueryDeepPartialEntity<WebhookDeliveryEntity>[]).orIgnore().updateEntity(false).execute();
      await this.queue.addBulk(rows.map((row) => ({
        name: JOBS.deliverWebhook,
        data: { transactionId: row.transactionId, eventId: row.eventId },
        opts: { ...JOB_OPTIONS.deliverWebhook, jobId: row.eventId },
      })));
      await this.outbox.markPublished(rows.map((row) => row.id));
      relayed += rows.length;
      if (rows.length < this.options.relayBatchSize) break;
    }
    if (relayed) this.logger.debug({ relayed }, 'outbox relayed');
    return relayed;
  }

  /**
   * Re-enqueues due deliveries that no job is working on: a job lost with Redis, a worker killed
   * mid-delivery (its lane lock died with its connection), an enqueue lost to a crash after commit.
   * Only the head of each lane is taken, so order per transaction still holds.
   */
  async sweep(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.options.sweepGraceMs);
    const rows: Array<{ id: string; transactionId: string; attemptCount: number }> = await this.dataSource.query(
      `SELECT d.id, d.transaction_id AS transactionId, d.attempt_count AS attemptCount
         FROM webhook_deliveries d
        WHERE d.status = 'pending' AND d.next_attempt_at <= ?
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                           WHERE e.transaction_id = d.transaction_id AND e.status = 'pending' AND e.outbox_id < d.outbox_id)
          AND IS_FREE_LOCK(CONCAT(?, d.transaction_id)) = 1
        ORDER BY d.next_attempt_at
        LIMIT 100`,
      [cutoff, LANE_LOCK_PREFIX],
    );
    if (!rows.length) return 0;
    await this.queue.addBulk(rows.map((row) => ({
      name: JOBS.deliverWebhook,
      data: { transactionId: row.transactionId },
      opts: { ...JOB_OPTIONS.deliverWebhook, jobId: `sweep:${row.id}:${row.attemptCount}` },
    })));
    this.logger.warn({ count: rows.length }, 'stalled webhook deliveries enqueued again');
    return rows.length;
  }
}
