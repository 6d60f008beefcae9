import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { EventSource, TxStatus } from '@payhub/domain';

/** Append-only history of a transaction: every status change and every provider exchange. */
@Entity('transaction_events')
@Index('ix_transaction_events_tx', ['transactionId', 'id'])
export class TransactionEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'transaction_id', type: 'varchar', length: 32 }) transactionId: string;
  /** status_change | conflict | provider_exchange | forced | refunded (a child refund settled on the parent) */
  @Column({ type: 'varchar', length: 24 }) kind: string;
  @Column({ name: 'from_status', type: 'varchar', length: 20, nullable: true }) fromStatus: TxStatus | null;
  @Column({ name: 'to_status', type: 'varchar', length: 20, nullable: true }) toStatus: TxStatus | null;
  @Column({ type: 'varchar', length: 16 }) source: EventSource;
  @Column({ type: 'varchar', length: 128, nullable: true }) actor: string | null;
  @Column({ name: 'provider_code', type: 'varchar', length: 64, nullable: true }) providerCode: string | null;
  @Column({ name: 'provider_message', type: 'varchar', length: 512, nullable: true }) providerMessage: string | null;
  @Column({ type: 'varchar', length: 512, nullable: true }) reason: string | null;
  @Column({ type: 'json', nullable: true }) data: Record<string, unknown> | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
