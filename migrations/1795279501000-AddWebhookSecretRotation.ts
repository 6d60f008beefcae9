import { MigrationInterface, QueryRunner } from 'typeorm';

/** The secret a rotation replaced stays valid (webhooks carry both signatures) until its expiry. */
export class AddWebhookSecretRotation1795279501000 implements MigrationInterface {
  name = 'AddWebhookSecretRotation1795279501000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE merchants
        ADD COLUMN previous_webhook_secret VARCHAR(512) NULL AFTER webhook_secret,
        ADD COLUMN previous_webhook_secret_expires_at DATETIME(3) NULL AFTER previous_webhook_secret`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE merchants DROP COLUMN previous_webhook_secret_expires_at, DROP COLUMN previous_webhook_secret');
  }
}
