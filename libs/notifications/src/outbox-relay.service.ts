import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { newId } from '@payhub/common';
import { inTransaction, SqlBatch } from '@payhub/database';
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
 * A delivering process that takes freshly relayed events at once, leased to itself (the worker's
 * WebhookDeliveryService). `reserve` answers which of the offered events it has room for and counts them
 * as in flight; exactly one of `start` (the rows are committed) or `cancel` (they are not) follows.
 */
export interface RelayHandoff {
  reserve(rows: OutboxEntity[]): { leaseUntil: Date; rows: OutboxEntity[] };
  start(leaseUntil: Date, deliveries: WebhookDeliveryEntity[]): void;
  cancel(rows: OutboxEntity[]): void;
}

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
  private handoff: RelayHandoff | null = null;
  private relaying: Promise<number> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly batch: SqlBatch,
    private readonly outbox: OutboxService,
    private readonly merchants: MerchantsService,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
  ) {}

  /**
   * Relays batches until the outbox is empty or `budgetMs` has passed (the next tick goes on). Relays of one
   * process never overlap (the timer's job and the delivery loop's slices): a second one would read the
   * same batch, wait on the first one's rows and then give lanes to events already handed over. Relays of
   * other processes may run beside it (idempotent by event id).
   */
  async relay(budgetMs = RELAY_BUDGET_MS): Promise<number> {
    if (this.relaying) return 0;
    this.relaying = this.relayBatches(budgetMs);
    try {
      return await this.relaying;
    } finally {
      this.relaying = null;
    }
  }

  private async relayBatches(budgetMs: number): Promise<number> {
    let relayed = 0;
    const until = Date.now() + budgetMs;
    while (Date.now() < until) {
      const batch = await this.outbox.unpublished(this.options.relayBatchSize);
      if (!batch.length) break;
      const rows = await this.selected(batch);
      if (rows.length) await this.deliver(rows);
      await this.outbox.markPublished(batch.map((row) => row.id));
      relayed += rows.length;
      if (batch.length < this.options.relayBatchSize) break;
    }
    if (relayed) this.logger.debug({ relayed }, 'outbox relayed');
    return relayed;
  }

  /** The delivering process of this worker, which takes a transaction's only event in flight straight from the relay. */
  attach(handoff: RelayHandoff | null): void {
    this.handoff = handoff;
  }

  /**
   * One DB transaction: a delivery row per event (idempotent by event id) and, for a transaction whose
   * event is not its only one in flight, its lane. A transaction's only event in flight needs no lane:
   * its delivery row is written leased to this process (not due before the lease ends) and sent at
   * once. When the process dies, the sweep gives the delivery a lane after the lease (and its grace).
   */
  private async deliver(rows: OutboxEntity[]): Promise<void> {
    const now = new Date();
    const perTransaction = new Map<string, number>();
    for (const row of rows) perTransaction.set(row.transactionId, (perTransaction.get(row.transactionId) ?? 0) + 1);
    const handoff = this.handoff;
    const single = handoff ? rows.filter((row) => perTransaction.get(row.transactionId) === 1) : [];
    // A pending delivery of the transaction (retrying, or in flight elsewhere) keeps the new event behind it, in the lane.
    const busy = single.length
      ? await WebhookLanes.inFlight(
          this.dataSource,
          single.map((row) => row.transactionId),
        )
      : new Set<string>();
    const offered = single.filter((row) => !busy.has(row.transactionId));
    const taken = handoff && offered.length ? handoff.reserve(offered) : null;
    const leased = new Set((taken?.rows ?? []).map((row) => row.id));
    const deliveries: WebhookDeliveryEntity[] = rows.map((row) => ({
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
      nextAttemptAt: leased.has(row.id) ? taken!.leaseUntil : now,
      lastAttemptAt: null,
      lastStatusCode: null,
      lastError: null,
      url: null,
      deliveredAt: null,
      createdAt: now,
      updatedAt: now,
    }));
    let handedOff = false;
    try {
      handedOff = await inTransaction(this.dataSource, async (manager) => {
        // One INSERT IGNORE built by SqlBatch: TypeORM's query builder spent more CPU on its parameter
        // bookkeeping for a batch of 500 deliveries (17 columns each) than on anything else the relay does.
        const inserted: { affectedRows?: number } = await manager.query(this.batch.insertIgnoreMany(WebhookDeliveryEntity, deliveries).sql);
        // Some rows were there already (a relay repeated after a crash, or two at once): their state is not the
        // one built here, so every transaction of the batch gets its lane and nothing is sent from here.
        const all = Number(inserted.affectedRows) === rows.length;
        const lanes = new Map(
          rows
            .filter((row) => !(all && leased.has(row.id)))
            .map((row) => [row.transactionId, { transactionId: row.transactionId, merchantId: row.merchantId }]),
        );
        await WebhookLanes.wake(manager, [...lanes.values()], now);
        return all;
      });
    } catch (error) {
      if (taken) handoff!.cancel(taken.rows);
      throw error;
    }
    if (!taken) return;
    if (handedOff)
      handoff!.start(
        taken.leaseUntil,
        deliveries.filter((d) => leased.has(d.outboxId)),
      );
    else handoff!.cancel(taken.rows);
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
