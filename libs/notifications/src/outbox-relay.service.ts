import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { newId } from '@payhub/common';
import { inTransaction } from '@payhub/database';
import { MerchantsService } from '@payhub/merchants';
import { OutboxEntity, OutboxService } from '@payhub/transactions';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { selectedWebhookEvents } from './webhook-event-selection';
import { WebhookLanes } from './webhook-lanes';
import { WEBHOOK_OPTIONS, WebhookOptions } from './webhook-options';

const REPAIR_BATCH = 500;
/** A little under the relay tick, so ticks do not pile up behind each other. */
const RELAY_BUDGET_MS = 900;

/**
 * Moves outbox rows to webhook deliveries. Order of the steps is what makes a crash harmless: the
 * delivery rows (idempotent by event id) and their lanes are written in one DB transaction, and only
 * then is the outbox row marked published. A crash repeats steps that are no-ops the second time.
 * An event of a type its merchant did not select gets no delivery: its outbox row is only marked published
 * (the row stays, it is also status sync's record of the change).
 */
@Injectable()
export class OutboxRelayService {
  private readonly logger = new Logger(OutboxRelayService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly merchants: MerchantsService,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
  ) {}

  /** Relays batches until the outbox is empty or `budgetMs` has passed (the next tick goes on). */
  async relay(budgetMs = RELAY_BUDGET_MS): Promise<number> {
    let relayed = 0;
    const until = Date.now() + budgetMs;
    while (Date.now() < until) {
      const batch = await this.outbox.unpublished(this.options.relayBatchSize);
      if (!batch.length) break;
      const rows = await this.selected(batch);
      const now = new Date();
      if (rows.length)
        await inTransaction(this.dataSource, async (manager) => {
          await manager
            .createQueryBuilder()
            .insert()
            .into(WebhookDeliveryEntity)
            .values(
              rows.map((row) => ({
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
              })) as QueryDeepPartialEntity<WebhookDeliveryEntity>[],
            )
            .orIgnore()
            .updateEntity(false)
            .execute();
          const lanes = new Map(rows.map((row) => [row.transactionId, { transactionId: row.transactionId, merchantId: row.merchantId }]));
          await WebhookLanes.wake(manager, [...lanes.values()], now);
        });
      await this.outbox.markPublished(batch.map((row) => row.id));
      relayed += rows.length;
      if (batch.length < this.options.relayBatchSize) break;
    }
    if (relayed) this.logger.debug({ relayed }, 'outbox relayed');
    return relayed;
  }

  /** The rows whose merchant selected their event type (choices cached per merchant, dropped when announced). */
  private async selected(rows: OutboxEntity[]): Promise<OutboxEntity[]> {
    const choices = await this.merchants.webhookEventsOf([...new Set(rows.map((row) => row.merchantId))]);
    const selection = new Map([...choices].map(([merchantId, events]) => [merchantId, selectedWebhookEvents(events)]));
    return rows.filter((row) => selection.get(row.merchantId)!.has(row.type));
  }

  /**
   * Gives a lane back to due deliveries that have none. A lane whose holder died needs nothing: its lease
   * runs out and it is due again. This repairs only what no lease covers, so every run can find work again.
   */
  async sweep(now = new Date()): Promise<number> {
    const repaired = await WebhookLanes.repair(this.dataSource, new Date(now.getTime() - this.options.sweepGraceMs), now, REPAIR_BATCH);
    if (repaired) this.logger.warn({ lanes: repaired }, 'webhook lanes restored for pending deliveries that had none');
    return repaired;
  }
}
