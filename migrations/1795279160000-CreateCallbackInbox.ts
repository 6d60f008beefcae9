import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCallbackInbox1795279160000 implements MigrationInterface {
  name = 'CreateCallbackInbox1795279160000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE callback_inbox (
        id              VARCHAR(32)  NOT NULL,
        provider        VARCHAR(32)  NOT NULL,
        transaction_id  VARCHAR(32)  NULL,
        state           VARCHAR(16)  NOT NULL,
        applied_key     VARCHAR(191) NULL,
        dedup_key       VARCHAR(191) NULL,
        content_type    VARCHAR(128) NULL,
        headers         JSON         NULL,
        raw_body        MEDIUMTEXT   NOT NULL,
        error           VARCHAR(512) NULL,
        response_status INT          NULL,
        received_at     DATETIME(3)  NOT NULL,
        processed_at    DATETIME(3)  NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_callback_inbox_applied (provider, applied_key),
        KEY ix_callback_inbox_tx (transaction_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE callback_inbox');
  }
}
