import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStatusChecks1795279171000 implements MigrationInterface {
  name = 'CreateStatusChecks1795279171000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE status_checks (
        transaction_id  VARCHAR(32)  NOT NULL,
        merchant_id     VARCHAR(32)  NOT NULL,
        provider        VARCHAR(32)  NULL,
        step            INT          NOT NULL DEFAULT 0,
        next_check_at   DATETIME(3)  NOT NULL,
        expires_at      DATETIME(3)  NOT NULL,
        last_checked_at DATETIME(3)  NULL,
        last_result     VARCHAR(32)  NULL,
        last_error      VARCHAR(512) NULL,
        created_at      DATETIME(3)  NOT NULL,
        updated_at      DATETIME(3)  NOT NULL,
        PRIMARY KEY (transaction_id),
        KEY ix_status_checks_due (next_check_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE status_checks');
  }
}
