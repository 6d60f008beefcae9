import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhookDeliveries1795279170000 implements MigrationInterface {
  name = 'CreateWebhookDeliveries1795279170000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_deliveries (
        id               VARCHAR(32)   NOT NULL,
        event_id         VARCHAR(32)   NOT NULL,
        outbox_id        BIGINT        NOT NULL,
        merchant_id      VARCHAR(32)   NOT NULL,
        transaction_id   VARCHAR(32)   NOT NULL,
        type             VARCHAR(64)   NOT NULL,
        payload          JSON          NOT NULL,
        status           VARCHAR(16)   NOT NULL,
        attempt_count    INT           NOT NULL DEFAULT 0,
        schedule_step    INT           NOT NULL DEFAULT 0,
        next_attempt_at  DATETIME(3)   NULL,
        last_attempt_at  DATETIME(3)   NULL,
        last_status_code INT           NULL,
        last_error       VARCHAR(512)  NULL,
        url              VARCHAR(2048) NULL,
        delivered_at     DATETIME(3)   NULL,
        created_at       DATETIME(3)   NOT NULL,
        updated_at       DATETIME(3)   NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_webhook_deliveries_event (event_id),
        KEY ix_webhook_deliveries_due (status, next_attempt_at),
        KEY ix_webhook_deliveries_lane (transaction_id, status, outbox_id),
        KEY ix_webhook_deliveries_merchant (merchant_id, status, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.query(`
      CREATE TABLE webhook_attempts (
        id               BIGINT        NOT NULL AUTO_INCREMENT,
        delivery_id      VARCHAR(32)   NOT NULL,
        attempt_no       INT           NOT NULL,
        kind             VARCHAR(16)   NOT NULL,
        url              VARCHAR(2048) NOT NULL,
        outcome          VARCHAR(16)   NOT NULL,
        status_code      INT           NULL,
        latency_ms       INT           NOT NULL,
        response_excerpt VARCHAR(1024) NULL,
        error            VARCHAR(512)  NULL,
        created_at       DATETIME(3)   NOT NULL,
        PRIMARY KEY (id),
        KEY ix_webhook_attempts_delivery (delivery_id, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE webhook_attempts');
    await db.query('DROP TABLE webhook_deliveries');
  }
}
