import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdempotencyKeys1795279157000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1795279157000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE idempotency_keys (
        merchant_id     VARCHAR(32)  NOT NULL,
        idem_key        VARCHAR(255) NOT NULL,
        request_hash    CHAR(64)     NOT NULL,
        state           VARCHAR(16)  NOT NULL,
        response_status INT          NULL,
        response_body   JSON         NULL,
        locked_until    DATETIME(3)  NOT NULL,
        created_at      DATETIME(3)  NOT NULL,
        expires_at      DATETIME(3)  NOT NULL,
        PRIMARY KEY (merchant_id, idem_key),
        KEY ix_idempotency_keys_expires (expires_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE idempotency_keys');
  }
}
