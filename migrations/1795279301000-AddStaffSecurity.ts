import { MigrationInterface, QueryRunner } from 'typeorm';

/** Server-side staff sessions, maker-checker proposals, TOTP enrolment, who minted an API key. */
export class AddStaffSecurity1795279301000 implements MigrationInterface {
  name = 'AddStaffSecurity1795279301000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE staff_sessions (
        id           CHAR(64)     NOT NULL,
        staff_id     VARCHAR(32)  NOT NULL,
        scope        VARCHAR(16)  NOT NULL,
        ip           VARCHAR(64)  NULL,
        user_agent   VARCHAR(256) NULL,
        created_at   DATETIME(3)  NOT NULL,
        last_seen_at DATETIME(3)  NOT NULL,
        expires_at   DATETIME(3)  NOT NULL,
        ended_at     DATETIME(3)  NULL,
        end_reason   VARCHAR(32)  NULL,
        PRIMARY KEY (id),
        KEY ix_staff_sessions_staff (staff_id, ended_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.query(`
      CREATE TABLE pending_changes (
        id             VARCHAR(32)  NOT NULL,
        kind           VARCHAR(32)  NOT NULL,
        target_type    VARCHAR(32)  NOT NULL,
        target_id      VARCHAR(254) NOT NULL,
        payload        JSON         NOT NULL,
        \`before\`       JSON         NULL,
        \`after\`        JSON         NULL,
        status         VARCHAR(16)  NOT NULL,
        proposed_by    VARCHAR(32)  NOT NULL,
        proposed_email VARCHAR(254) NOT NULL,
        decided_by     VARCHAR(32)  NULL,
        decided_email  VARCHAR(254) NULL,
        decided_at     DATETIME(3)  NULL,
        created_at     DATETIME(3)  NOT NULL,
        expires_at     DATETIME(3)  NOT NULL,
        PRIMARY KEY (id),
        KEY ix_pending_changes_status (status, expires_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.query(
      'ALTER TABLE staff_users ADD COLUMN totp_secret VARCHAR(512) NULL AFTER locked_until, ADD COLUMN totp_enabled_at DATETIME(3) NULL AFTER totp_secret, ADD COLUMN totp_last_step BIGINT NULL AFTER totp_enabled_at',
    );
    await db.query('ALTER TABLE api_keys ADD COLUMN created_by VARCHAR(32) NULL AFTER label');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE api_keys DROP COLUMN created_by');
    await db.query('ALTER TABLE staff_users DROP COLUMN totp_last_step, DROP COLUMN totp_enabled_at, DROP COLUMN totp_secret');
    await db.query('DROP TABLE pending_changes');
    await db.query('DROP TABLE staff_sessions');
  }
}
