import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A transaction's delivery lane: its webhooks go out in outbox order, one at a time, by whoever holds
 * the lease. `next_attempt_at` is when the lane is next due; a claim moves it to the lease's end, so a
 * claimed lane leaves the due range and a dead holder's lane comes back by itself when the lease ends.
 */
@Entity('webhook_lanes')
@Index('ix_webhook_lanes_due', ['nextAttemptAt'])
@Index('ix_webhook_lanes_locked_by', ['lockedBy'])
export class WebhookLaneEntity {
  @PrimaryColumn({ name: 'transaction_id', type: 'varchar', length: 32 }) transactionId: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 32 }) merchantId: string;
  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3 }) nextAttemptAt: Date;
  @Column({ name: 'locked_by', type: 'varchar', length: 64, nullable: true }) lockedBy: string | null;
  @Column({ name: 'locked_until', type: 'datetime', precision: 3, nullable: true }) lockedUntil: Date | null;
  /** Bumped by every write that adds work to the lane, so a holder releasing it knows whether new events came meanwhile. */
  @Column({ type: 'int', default: 0 }) version: number;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
