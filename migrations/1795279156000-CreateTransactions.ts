import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTransactions1795279156000 implements MigrationInterface {
  name = 'CreateTransactions1795279156000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE transactions (
        id                VARCHAR(32)   NOT NULL,
        merchant_id       VARCHAR(32)   NOT NULL,
        merchant_tx_id    VARCHAR(64)   NOT NULL,
        user_id           VARCHAR(64)   NOT NULL,
        tx_type           VARCHAR(32)   NOT NULL,
        service           VARCHAR(32)   NULL,
        status            VARCHAR(20)   NOT NULL,
        amount            BIGINT        NOT NULL,
        currency          VARCHAR(8)    NOT NULL,
        country           CHAR(2)       NULL,
        provider          VARCHAR(32)   NULL,
        provider_account  VARCHAR(32)   NULL,
        provider_tx_id    VARCHAR(128)  NULL,
        parent_id         VARCHAR(32)   NULL,
        refunded_amount   BIGINT        NOT NULL DEFAULT 0,
        routing_rule_id   VARCHAR(32)   NULL,
        routing_reason    VARCHAR(1024) NULL,
        next_action       JSON          NULL,
        failure           JSON          NULL,
        card_brand        VARCHAR(16)   NULL,
        card_bin          CHAR(6)       NULL,
        card_last4        CHAR(4)       NULL,
        card_expiry       CHAR(7)       NULL,
        details           JSON          NULL,
        notification_url  VARCHAR(2048) NULL,
        provider_data     JSON          NULL,
        conflict          JSON          NULL,
        created_by        VARCHAR(64)   NULL,
        version           INT           NOT NULL DEFAULT 0,
        created_at        DATETIME(3)   NOT NULL,
        updated_at        DATETIME(3)   NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_transactions_merchant_tx_id (merchant_id, merchant_tx_id),
        KEY ix_transactions_status_updated (status, updated_at),
        KEY ix_transactions_provider_tx (provider, provider_tx_id),
        KEY ix_transactions_parent (parent_id),
        CONSTRAINT ck_transactions_amount CHECK (amount > 0),
        CONSTRAINT ck_transactions_refunded CHECK (refunded_amount >= 0 AND refunded_amount <= amount)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.query(`
      CREATE TABLE transaction_events (
        id               BIGINT       NOT NULL AUTO_INCREMENT,
        transaction_id   VARCHAR(32)  NOT NULL,
        kind             VARCHAR(24)  NOT NULL,
        from_status      VARCHAR(20)  NULL,
        to_status        VARCHAR(20)  NULL,
        source           VARCHAR(16)  NOT NULL,
        actor            VARCHAR(128) NULL,
        provider_code    VARCHAR(64)  NULL,
        provider_message VARCHAR(512) NULL,
        reason           VARCHAR(512) NULL,
        data             JSON         NULL,
        created_at       DATETIME(3)  NOT NULL,
        PRIMARY KEY (id),
        KEY ix_transaction_events_tx (transaction_id, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.query(`
      CREATE TABLE outbox (
        id             BIGINT      NOT NULL AUTO_INCREMENT,
        event_id       VARCHAR(32) NOT NULL,
        merchant_id    VARCHAR(32) NOT NULL,
        transaction_id VARCHAR(32) NOT NULL,
        type           VARCHAR(64) NOT NULL,
        payload        JSON        NOT NULL,
        created_at     DATETIME(3) NOT NULL,
        published_at   DATETIME(3) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_outbox_event_id (event_id),
        KEY ix_outbox_unpublished (published_at, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE outbox');
    await db.query('DROP TABLE transaction_events');
    await db.query('DROP TABLE transactions');
  }
}
