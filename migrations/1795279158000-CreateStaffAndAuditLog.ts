import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStaffAndAuditLog1795279158000 implements MigrationInterface {
  name = 'CreateStaffAndAuditLog1795279158000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE staff_users (
        id            VARCHAR(32)  NOT NULL,
        email         VARCHAR(254) NOT NULL,
        password_hash VARCHAR(255) NOT NULL,
        roles         VARCHAR(128) NOT NULL,
        status        VARCHAR(16)  NOT NULL,
        failed_logins INT          NOT NULL DEFAULT 0,
        locked_until  DATETIME(3)  NULL,
        created_at    DATETIME(3)  NOT NULL,
        updated_at    DATETIME(3)  NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_staff_users_email (email)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.query(`
      CREATE TABLE audit_log (
        id          VARCHAR(32)  NOT NULL,
        actor_id    VARCHAR(32)  NULL,
        actor_email VARCHAR(254) NULL,
        action      VARCHAR(64)  NOT NULL,
        target_type VARCHAR(32)  NOT NULL,
        target_id   VARCHAR(64)  NOT NULL,
        \`before\`    JSON         NULL,
        \`after\`     JSON         NULL,
        reason      VARCHAR(512) NULL,
        request_id  VARCHAR(64)  NULL,
        created_at  DATETIME(3)  NOT NULL,
        PRIMARY KEY (id),
        KEY ix_audit_log_target (target_type, target_id),
        KEY ix_audit_log_actor (actor_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE audit_log');
    await db.query('DROP TABLE staff_users');
  }
}
