import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhook event types a merchant receives. NULL is the default selection (every type but
 * `transaction.created`); merchants that exist already keep every type they were sent until now, so no
 * integration loses an event it may rely on (docs/decisions.md).
 */
export class AddMerchantWebhookEvents1795280100000 implements MigrationInterface {
  name = 'AddMerchantWebhookEvents1795280100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE merchants ADD COLUMN webhook_events JSON NULL AFTER previous_webhook_secret_expires_at');
    await db.query(
      `UPDATE merchants SET webhook_events = JSON_ARRAY(
         'transaction.created', 'transaction.waiting_input', 'transaction.processing', 'transaction.waiting_approval',
         'transaction.succeeded', 'transaction.failed', 'transaction.cancelled', 'transaction.inconsistent',
         'transaction.refunded', 'transaction.refund_reverted')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE merchants DROP COLUMN webhook_events');
  }
}
