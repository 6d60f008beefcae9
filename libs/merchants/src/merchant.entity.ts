import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('merchants')
@Index('uq_merchants_name', ['name'], { unique: true })
export class MerchantEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id: string;
  @Column({ type: 'varchar', length: 128 }) name: string;
  /** active | disabled */
  @Column({ type: 'varchar', length: 16 }) status: string;
  @Column({ name: 'webhook_url', type: 'varchar', length: 2048, nullable: true }) webhookUrl: string | null;
  /** Sealed with the SecretBox: payhub must read it back to sign webhooks. */
  @Column({ name: 'webhook_secret', type: 'varchar', length: 512 }) webhookSecret: string;
  /** The secret the last rotation replaced, sealed; webhooks are signed with it too until it expires. */
  @Column({ name: 'previous_webhook_secret', type: 'varchar', length: 512, nullable: true }) previousWebhookSecret: string | null;
  @Column({ name: 'previous_webhook_secret_expires_at', type: 'datetime', precision: 3, nullable: true }) previousWebhookSecretExpiresAt: Date | null;
  /**
   * The webhook event types the merchant receives, as they chose them; null: never chosen, the default
   * selection applies (libs/notifications, webhook-event-selection.ts). Events outside it are never enqueued.
   */
  @Column({ name: 'webhook_events', type: 'json', nullable: true }) webhookEvents: string[] | null;
  @Column({ type: 'json', nullable: true }) settings: Record<string, unknown> | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
