import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('idempotency_keys')
@Index('ix_idempotency_keys_expires', ['expiresAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'varchar', length: 32 }) merchantId: string;
  @PrimaryColumn({ name: 'idem_key', type: 'varchar', length: 255 }) key: string;
  /** Keyed HMAC of the request (idempotency-fingerprint.ts); null on rows older than the key. */
  @Column({ type: 'char', length: 64, nullable: true }) fingerprint: string | null;
  /** The process (ProcessLiveness.instanceId) running the request while it is in progress. */
  @Column({ type: 'varchar', length: 40, nullable: true }) owner: string | null;
  /** in_progress | completed */
  @Column({ type: 'varchar', length: 16 }) state: string;
  @Column({ name: 'response_status', type: 'int', nullable: true }) responseStatus: number | null;
  @Column({ name: 'response_body', type: 'json', nullable: true }) responseBody: unknown;
  @Column({ name: 'locked_until', type: 'datetime', precision: 3 }) lockedUntil: Date;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 }) expiresAt: Date;
}
