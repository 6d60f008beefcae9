import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type WebhookAttemptOutcome = 'delivered' | 'http_error' | 'timeout' | 'network_error' | 'not_sent';

/** Append-only: every POST to a merchant, with what came back. */
@Entity('webhook_attempts')
@Index('ix_webhook_attempts_delivery', ['deliveryId', 'id'])
export class WebhookAttemptEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'delivery_id', type: 'varchar', length: 32 }) deliveryId: string;
  @Column({ name: 'attempt_no', type: 'int' }) attemptNo: number;
  /** auto | resend */
  @Column({ type: 'varchar', length: 16 }) kind: string;
  @Column({ type: 'varchar', length: 2048 }) url: string;
  @Column({ type: 'varchar', length: 16 }) outcome: WebhookAttemptOutcome;
  @Column({ name: 'status_code', type: 'int', nullable: true }) statusCode: number | null;
  @Column({ name: 'latency_ms', type: 'int' }) latencyMs: number;
  @Column({ name: 'response_excerpt', type: 'varchar', length: 1024, nullable: true }) responseExcerpt: string | null;
  @Column({ type: 'varchar', length: 512, nullable: true }) error: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
