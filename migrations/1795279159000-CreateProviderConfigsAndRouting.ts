import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProviderConfigsAndRouting1795279159000 implements MigrationInterface {
  name = 'CreateProviderConfigsAndRouting1795279159000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE provider_config_versions (
        id          VARCHAR(32)  NOT NULL,
        merchant_id VARCHAR(32)  NOT NULL,
        provider    VARCHAR(32)  NOT NULL,
        version     INT          NOT NULL,
        config      JSON         NOT NULL,
        key_id      VARCHAR(16)  NOT NULL,
        created_by  VARCHAR(254) NOT NULL,
        comment     VARCHAR(256) NULL,
        created_at  DATETIME(3)  NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_provider_config_versions (merchant_id, provider, version)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.query(`
      CREATE TABLE routing_rules (
        id              VARCHAR(32)  NOT NULL,
        merchant_id     VARCHAR(32)  NOT NULL,
        position        INT          NOT NULL,
        name            VARCHAR(128) NOT NULL,
        priority        INT          NOT NULL,
        enabled         TINYINT(1)   NOT NULL,
        when_conditions JSON         NOT NULL,
        then_actions    JSON         NOT NULL,
        created_by      VARCHAR(254) NOT NULL,
        created_at      DATETIME(3)  NOT NULL,
        PRIMARY KEY (id),
        KEY ix_routing_rules_merchant (merchant_id, position)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.query(`
      CREATE TABLE routing_settings (
        merchant_id      VARCHAR(32)  NOT NULL,
        three_ds_routing JSON         NULL,
        updated_by       VARCHAR(254) NOT NULL,
        updated_at       DATETIME(3)  NOT NULL,
        PRIMARY KEY (merchant_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE routing_settings');
    await db.query('DROP TABLE routing_rules');
    await db.query('DROP TABLE provider_config_versions');
  }
}
