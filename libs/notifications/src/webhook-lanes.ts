import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction, type BatchStatement, type SqlBatch } from '@payhub/database';

/** A lane this process claimed: its lease is `token`, and `version` tells at release whether events arrived since. */
export interface ClaimedLane {
  transactionId: string;
  merchantId: string;
  version: number;
}

/**
 * Every SQL statement on webhook_lanes, in one place. The lease is only ever taken with a conditional
 * UPDATE and given back with one guarded by the holder's token, so no MySQL connection or named lock is
 * held while a merchant's endpoint is being called.
 */
export const WebhookLanes = {
  /**
   * New work for these lanes (the relay, a resend): creates the lane or makes it due now. A leased lane keeps
   * its lease (shortening it would let a second holder in beside the first); the version bump makes its
   * holder's release leave it due now.
   */
  async wake(db: DataSource | EntityManager, lanes: Array<{ transactionId: string; merchantId: string }>, at: Date): Promise<void> {
    if (!lanes.length) return;
    await db.query(
      `INSERT INTO webhook_lanes (transaction_id, merchant_id, next_attempt_at, version, updated_at) VALUES ?
       ON DUPLICATE KEY UPDATE
         next_attempt_at = IF(locked_until IS NOT NULL AND locked_until > VALUES(updated_at), next_attempt_at, LEAST(next_attempt_at, VALUES(next_attempt_at))),
         version = version + 1, updated_at = VALUES(updated_at)`,
      [lanes.map((l) => [l.transactionId, l.merchantId, at, 0, at])],
    );
  },

  /**
   * Of these transactions, those with a pending delivery (in flight, retrying, or waiting in a lane): a new
   * event of theirs must wait behind it in the lane. Index-only on ix_webhook_deliveries_lane.
   */
  async inFlight(db: DataSource | EntityManager, transactionIds: string[]): Promise<Set<string>> {
    if (!transactionIds.length) return new Set();
    const rows: Array<{ id: string }> = await db.query(
      `SELECT DISTINCT transaction_id AS id FROM webhook_deliveries WHERE transaction_id IN (?) AND status = 'pending'`,
      [transactionIds],
    );
    return new Set(rows.map((r) => r.id));
  },

  /**
   * After the attempt of a delivery sent without a lane (the transaction's only event in flight, taken
   * from the relay): to be retried at `retryAt`, it gets a lane due then; done with, a lane made meanwhile
   * for a later event (if any) is due now, and its version moves so a holder's release keeps it due.
   */
  settleLaneless(batch: SqlBatch, delivery: { transactionId: string; merchantId: string }, retryAt: Date | null, now: Date): BatchStatement {
    if (retryAt)
      return batch.query(
        `INSERT INTO webhook_lanes (transaction_id, merchant_id, next_attempt_at, version, updated_at) VALUES (?, ?, ?, 0, ?)
         ON DUPLICATE KEY UPDATE
           next_attempt_at = IF(locked_until IS NOT NULL AND locked_until > VALUES(updated_at), next_attempt_at, LEAST(next_attempt_at, VALUES(next_attempt_at))),
           version = version + 1, updated_at = VALUES(updated_at)`,
        [delivery.transactionId, delivery.merchantId, retryAt, now],
      );
    return batch.query(
      `UPDATE webhook_lanes SET next_attempt_at = IF(locked_until IS NOT NULL AND locked_until > ?, next_attempt_at, LEAST(next_attempt_at, ?)),
         version = version + 1, updated_at = ? WHERE transaction_id = ?`,
      [now, now, now, delivery.transactionId],
    );
  },

  /**
   * Takes up to `limit` due lanes for `token` until `leaseUntil`, oldest due first, passing over the
   * merchants in `skipMerchants` (those this process already calls as much as it may).
   */
  async claim(db: DataSource, token: string, limit: number, now: Date, leaseUntil: Date, skipMerchants: string[]): Promise<ClaimedLane[]> {
    const skip = skipMerchants.length ? 'AND merchant_id NOT IN (?)' : '';
    const result: { affectedRows?: number } = await db.query(
      `UPDATE webhook_lanes SET locked_by = ?, locked_until = ?, next_attempt_at = ?, updated_at = ?
        WHERE next_attempt_at <= ? ${skip} ORDER BY next_attempt_at LIMIT ?`,
      [token, leaseUntil, leaseUntil, now, now, ...(skipMerchants.length ? [skipMerchants] : []), limit],
    );
    if (!result.affectedRows) return [];
    const rows: Array<{ transactionId: string; merchantId: string; version: number }> = await db.query(
      'SELECT transaction_id AS transactionId, merchant_id AS merchantId, version FROM webhook_lanes WHERE locked_by = ?',
      [token],
    );
    return rows.map((r) => ({ ...r, version: Number(r.version) }));
  },

  /**
   * Gives a lane back. `nextAttemptAt` null: the holder sent everything it saw, and the lane row goes,
   * unless events arrived since the claim (version moved): then the lane stays, due now.
   */
  release(batch: SqlBatch, lane: ClaimedLane, token: string, nextAttemptAt: Date | null, now: Date): BatchStatement[] {
    const statements: BatchStatement[] = [];
    if (nextAttemptAt === null) {
      statements.push(
        batch.query('DELETE FROM webhook_lanes WHERE transaction_id = ? AND locked_by = ? AND version = ?', [lane.transactionId, token, lane.version]),
      );
    }
    statements.push(
      batch.query(
        `UPDATE webhook_lanes SET locked_by = NULL, locked_until = NULL, next_attempt_at = IF(version = ?, ?, ?), updated_at = ?
        WHERE transaction_id = ? AND locked_by = ?`,
        [lane.version, nextAttemptAt ?? now, nextAttemptAt && nextAttemptAt < now ? nextAttemptAt : now, now, lane.transactionId, token],
      ),
    );
    return statements;
  },

  /**
   * Pending deliveries due since before `cutoff` whose lane is missing (a relay that died between its
   * writes, rows restored by hand): their lanes are created again. Only what is pending is read.
   */
  async repair(db: DataSource, cutoff: Date, now: Date, limit: number): Promise<number> {
    // Its read of deliveries and lanes can deadlock with a relay or a lane release (seen as failed sweep jobs in a
    // 5-minute soak); it is idempotent, so a deadlock victim is run again (inTransaction) instead of failing the job.
    const result: { affectedRows?: number } = await inTransaction(db, (manager) =>
      manager.query(
        `INSERT IGNORE INTO webhook_lanes (transaction_id, merchant_id, next_attempt_at, version, updated_at)
       SELECT d.transaction_id, MIN(d.merchant_id), ?, 0, ?
         FROM webhook_deliveries d LEFT JOIN webhook_lanes l ON l.transaction_id = d.transaction_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND l.transaction_id IS NULL
        GROUP BY d.transaction_id LIMIT ?`,
        [now, now, cutoff, limit],
      ),
    );
    return result.affectedRows ?? 0;
  },
};
