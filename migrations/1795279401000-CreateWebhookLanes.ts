import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per transaction with webhooks to send: the lane's lease (who holds it, until when) and when
 * it is next due. Replaces the connection-held GET_LOCK: a lane is claimed with a conditional UPDATE,
 * and a worker that dies simply lets its lease run out.
 */
export class CreateWebhookLanes1795279401000 implements MigrationInterface {
  name = 'CreateWebhookLanes1795279401000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_lanes (
        transaction_id  VARCHAR(32)  NOT NULL,
        merchant_id     VARCHAR(32)  NOT NULL,
        next_attempt_at DATETIME(3)  NOT NULL,
        locked_by       VARCHAR(64)  NULL,
        locked_until    DATETIME(3)  NULL,
        version         INT          NOT NULL DEFAULT 0,
        updated_at      DATETIME(3)  NOT NULL,
        PRIMARY KEY (transaction_id),
        KEY ix_webhook_lanes_due (next_attempt_at),
        KEY ix_webhook_lanes_locked_by (locked_by)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // Lanes for what is still pending, due at their earliest delivery.
    await db.query(`
      INSERT INTO webhook_lanes (transaction_id, merchant_id, next_attempt_at, version, updated_at)
      SELECT transaction_id, MIN(merchant_id), COALESCE(MIN(next_attempt_at), NOW(3)), 0, NOW(3)
        FROM webhook_deliveries WHERE status = 'pending' GROUP BY transaction_id`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE webhook_lanes');
  }
}
