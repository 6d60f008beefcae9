import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped';
export const WEBHOOK_DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = ['pending', 'delivered', 'failed', 'skipped'];

/**
 * One merchant webhook per outbox event. Deliveries of a transaction go out in outbox order: only the
 * pending delivery with the lowest outbox id of a transaction (its "head") is ever attempted.
 */
@Entity('webhook_deliveries')
@Index('uq_webhook_deliveries_event', ['eventId'], { unique: true })
@Index('ix_webhook_deliveries_due', ['status', 'nextAttemptAt'])
@Index('ix_webhook_deliveries_lane', ['transactionId', 'status', 'outboxId'])
@Index('ix_webhook_deliveries_merchant', ['merchantId', 'status', 'id'])
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id: string;
  @Column({ name: 'event_id', type: 'varchar', length: 32 }) eventId: string;
  @Column({ name: 'outbox_id', type: 'bigint' }) outboxId: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 32 }) merchantId: string;
  @Column({ name: 'transaction_id', type: 'varchar', length: 32 }) transactionId: string;
  @Column({ type: 'varchar', length: 64 }) type: string;
  /** The body sent, as the outbox row announced it: { eventId, type, previousStatus, transaction }. */
  @Column({ type: 'json' }) payload: Record<string, unknown>;
  @Column({ type: 'varchar', length: 16 }) status: WebhookDeliveryStatus;
  @Column({ name: 'attempt_count', type: 'int', default: 0 }) attemptCount: number;
  /** Attempts since the delivery was created or last resent: the position in the retry schedule. */
  @Column({ name: 'schedule_step', type: 'int', default: 0 }) scheduleStep: number;
  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3, nullable: true }) nextAttemptAt: Date | null;
  @Column({ name: 'last_attempt_at', type: 'datetime', precision: 3, nullable: true }) lastAttemptAt: Date | null;
  @Column({ name: 'last_status_code', type: 'int', nullable: true }) lastStatusCode: number | null;
  @Column({ name: 'last_error', type: 'varchar', length: 512, nullable: true }) lastError: string | null;
  @Column({ type: 'varchar', length: 2048, nullable: true }) url: string | null;
  @Column({ name: 'delivered_at', type: 'datetime', precision: 3, nullable: true }) deliveredAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
