import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The status-sync schedule of one unfinished transaction. Kept beside `transactions` rather than in
 * it, so reconciliation never writes the transaction tables; the row goes once the transaction is final.
 */
@Entity('status_checks')
@Index('ix_status_checks_due', ['nextCheckAt'])
@Index('ix_status_checks_dispatch', ['dispatchToken'])
export class StatusCheckEntity {
  @PrimaryColumn({ name: 'transaction_id', type: 'varchar', length: 32 }) transactionId: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 32 }) merchantId: string;
  @Column({ type: 'varchar', length: 32, nullable: true }) provider: string | null;
  @Column({ name: 'provider_account', type: 'varchar', length: 32, nullable: true }) providerAccount: string | null;
  /** Checks done so far: the position in the backoff schedule. */
  @Column({ type: 'int', default: 0 }) step: number;
  @Column({ name: 'next_check_at', type: 'datetime', precision: 3 }) nextCheckAt: Date;
  /** End of the provider session; a transaction still WAITING_INPUT after it is cancelled as EXPIRED. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 }) expiresAt: Date;
  @Column({ name: 'last_checked_at', type: 'datetime', precision: 3, nullable: true }) lastCheckedAt: Date | null;
  @Column({ name: 'last_result', type: 'varchar', length: 32, nullable: true }) lastResult: string | null;
  @Column({ name: 'last_error', type: 'varchar', length: 512, nullable: true }) lastError: string | null;
  /** The dispatch that leased the row: while its jobs wait in the queue, next_check_at is the lease's end. */
  @Column({ name: 'dispatch_token', type: 'varchar', length: 64, nullable: true }) dispatchToken: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
