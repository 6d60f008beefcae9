import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `request_hash` was a bare SHA-256 of the request body, card included: with the rest of the body
 * rebuilt from the transaction row, the hidden PAN digits and the CVV fell to brute force. The hashes
 * are erased (they cannot be re-keyed: the bodies are gone), the column becomes the keyed fingerprint,
 * and rows still within their 24 h keep replaying their stored answer. `owner` names the process
 * running an in-progress request.
 */
export class RekeyIdempotencyFingerprints1795279201000 implements MigrationInterface {
  name = 'RekeyIdempotencyFingerprints1795279201000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE idempotency_keys CHANGE request_hash fingerprint CHAR(64) NULL');
    await db.query('UPDATE idempotency_keys SET fingerprint = NULL');
    await db.query('ALTER TABLE idempotency_keys ADD COLUMN owner VARCHAR(40) NULL AFTER fingerprint');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE idempotency_keys DROP COLUMN owner');
    // The old column needs a value; an in-progress or replayable row without one cannot be trusted.
    await db.query('DELETE FROM idempotency_keys WHERE fingerprint IS NULL');
    await db.query('ALTER TABLE idempotency_keys CHANGE fingerprint request_hash CHAR(64) NOT NULL');
  }
}
