import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMerchants1795279155000 implements MigrationInterface {
  name = 'CreateMerchants1795279155000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE merchants (
        id             VARCHAR(32)   NOT NULL,
        name           VARCHAR(128)  NOT NULL,
        status         VARCHAR(16)   NOT NULL,
        webhook_url    VARCHAR(2048) NULL,
        webhook_secret VARCHAR(512)  NOT NULL,
        settings       JSON          NULL,
        created_at     DATETIME(3)   NOT NULL,
        updated_at     DATETIME(3)   NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_merchants_name (name)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.query(`
      CREATE TABLE api_keys (
        id          VARCHAR(32) NOT NULL,
        merchant_id VARCHAR(32) NOT NULL,
        key_hash    CHAR(64)    NOT NULL,
        prefix      VARCHAR(16) NOT NULL,
        label       VARCHAR(64) NULL,
        created_at  DATETIME(3) NOT NULL,
        revoked_at  DATETIME(3) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_api_keys_hash (key_hash),
        KEY ix_api_keys_merchant (merchant_id),
        CONSTRAINT fk_api_keys_merchant FOREIGN KEY (merchant_id) REFERENCES merchants (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE api_keys');
    await db.query('DROP TABLE merchants');
  }
}
