import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** `coalesced`: an untrusted notification answered by a status check made moments before. */
export type CallbackState = 'received' | 'applied' | 'duplicate' | 'rejected' | 'failed' | 'coalesced';

/** Every provider callback as it arrived, stored before anything else happens to it. */
@Entity('callback_inbox')
@Index('uq_callback_inbox_applied', ['provider', 'appliedKey'], { unique: true })
@Index('ix_callback_inbox_tx', ['transactionId'])
export class CallbackInboxEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id: string;
  @Column({ type: 'varchar', length: 32 }) provider: string;
  /** The transaction named by the callback URL, or the first one the verified body names. */
  @Column({ name: 'transaction_id', type: 'varchar', length: 32, nullable: true }) transactionId: string | null;
  @Column({ type: 'varchar', length: 16 }) state: CallbackState;
  /** Set only once the callback was applied: a second callback with the same key is a duplicate. */
  @Column({ name: 'applied_key', type: 'varchar', length: 191, nullable: true }) appliedKey: string | null;
  @Column({ name: 'dedup_key', type: 'varchar', length: 191, nullable: true }) dedupKey: string | null;
  @Column({ name: 'content_type', type: 'varchar', length: 128, nullable: true }) contentType: string | null;
  @Column({ type: 'json', nullable: true }) headers: Record<string, unknown> | null;
  @Column({ name: 'raw_body', type: 'mediumtext' }) rawBody: string;
  @Column({ type: 'varchar', length: 512, nullable: true }) error: string | null;
  @Column({ name: 'response_status', type: 'int', nullable: true }) responseStatus: number | null;
  @Column({ name: 'received_at', type: 'datetime', precision: 3 }) receivedAt: Date;
  @Column({ name: 'processed_at', type: 'datetime', precision: 3, nullable: true }) processedAt: Date | null;
}
