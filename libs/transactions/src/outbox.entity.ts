import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Written in the same DB transaction as the status change it announces; a relay publishes rows in
 * id order, so nothing is lost between commit and enqueue and order per transaction holds.
 */
@Entity('outbox')
@Index('ix_outbox_unpublished', ['publishedAt', 'id'])
@Index('uq_outbox_event_id', ['eventId'], { unique: true })
@Index('ix_outbox_status_sync', ['statusSyncedAt', 'id'])
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'event_id', type: 'varchar', length: 32 }) eventId: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 32 }) merchantId: string;
  @Column({ name: 'transaction_id', type: 'varchar', length: 32 }) transactionId: string;
  @Column({ type: 'varchar', length: 64 }) type: string;
  @Column({ type: 'json' }) payload: Record<string, unknown>;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'published_at', type: 'datetime', precision: 3, nullable: true }) publishedAt: Date | null;
  /** When status sync read the row (enrolled or forgot its transaction): its own read position, independent of the webhook relay. */
  @Column({ name: 'status_synced_at', type: 'datetime', precision: 3, nullable: true }) statusSyncedAt: Date | null;
}
