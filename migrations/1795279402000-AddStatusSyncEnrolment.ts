import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Status sync enrols from the outbox (its own read position: `status_synced_at`) instead of scanning
 * transactions, and dispatches due checks under a lease (`dispatch_token`) instead of re-reading them.
 * Existing outbox rows count as read; unfinished transactions without a schedule row get one, due now.
 */
export class AddStatusSyncEnrolment1795279402000 implements MigrationInterface {
  name = 'AddStatusSyncEnrolment1795279402000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE outbox ADD COLUMN status_synced_at DATETIME(3) NULL, ADD KEY ix_outbox_status_sync (status_synced_at, id)');
    await db.query('UPDATE outbox SET status_synced_at = NOW(3)');
    await db.query(`ALTER TABLE status_checks
      ADD COLUMN provider_account VARCHAR(32) NULL AFTER provider,
      ADD COLUMN dispatch_token VARCHAR(64) NULL,
      ADD KEY ix_status_checks_dispatch (dispatch_token)`);
    await db.query(`
      INSERT IGNORE INTO status_checks (transaction_id, merchant_id, provider, provider_account, step, next_check_at, expires_at, created_at, updated_at)
      SELECT t.id, t.merchant_id, t.provider, t.provider_account, 0, NOW(3), t.created_at + INTERVAL 1 DAY, NOW(3), NOW(3)
        FROM transactions t WHERE t.status IN ('WAITING_INPUT', 'PROCESSING', 'INCONSISTENT')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE status_checks DROP KEY ix_status_checks_dispatch, DROP COLUMN dispatch_token, DROP COLUMN provider_account');
    await db.query('ALTER TABLE outbox DROP KEY ix_outbox_status_sync, DROP COLUMN status_synced_at');
  }
}
