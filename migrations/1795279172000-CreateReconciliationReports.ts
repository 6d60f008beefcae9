import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReconciliationReports1795279172000 implements MigrationInterface {
  name = 'CreateReconciliationReports1795279172000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE reconciliation_reports (
        id                VARCHAR(32)  NOT NULL,
        report_date       DATE         NOT NULL,
        merchant_id       VARCHAR(32)  NOT NULL,
        provider          VARCHAR(32)  NOT NULL,
        account           VARCHAR(32)  NOT NULL,
        status            VARCHAR(16)  NOT NULL,
        provider_tx_count INT          NOT NULL DEFAULT 0,
        payhub_tx_count   INT          NOT NULL DEFAULT 0,
        mismatch_count    INT          NOT NULL DEFAULT 0,
        balances          JSON         NULL,
        mismatches        JSON         NULL,
        error             VARCHAR(512) NULL,
        created_at        DATETIME(3)  NOT NULL,
        updated_at        DATETIME(3)  NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_reconciliation_reports_day (report_date, merchant_id, provider, account),
        KEY ix_reconciliation_reports_merchant (merchant_id, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE reconciliation_reports');
  }
}
