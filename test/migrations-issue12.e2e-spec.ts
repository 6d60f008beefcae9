import { createHash } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../libs/database/src/database-options';
import { MIGRATIONS } from '../migrations';
import { testDatabaseUrl } from './support/test-database';

/** The issue-12 migrations on data written before them: bare hashes erased, the CHECK on the settled ceiling, both reversible. */
describe('migrations of issue 12 on existing rows', () => {
  const url = new URL(testDatabaseUrl());
  const database = {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    name: `${url.pathname.slice(1)}_mig12`,
  };
  let db: DataSource;
  // By timestamp, so migrations other issues add (earlier or later) never shift what "before" and "these two" are.
  const at = (m: { name: string }) => Number(/\d{13}$/.exec(m.name)![0]);
  const upTo = (ts: number, inclusive: boolean) => MIGRATIONS.filter((m) => (inclusive ? at(m) <= ts : at(m) < ts));

  beforeAll(async () => {
    const connection = await createConnection({ host: database.host, port: database.port, user: database.user, password: database.password });
    await connection.query(`DROP DATABASE IF EXISTS \`${database.name}\``);
    await connection.query(`CREATE DATABASE \`${database.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await connection.end();
    // The schema as it was before issue 12.
    db = new DataSource({ ...buildDataSourceOptions({ database }), migrations: upTo(1795279201000, false) });
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('erases every bare request hash, keeps the stored answers; the CHECK then holds refunds to settledAmount ?? amount', async () => {
    const body = JSON.stringify({ card: { number: '4012888888881881', cvv: '321' } });
    const hash = createHash('sha256').update(`POST /v1/deposits\n${body}`).digest('hex');
    await db.query(
      `INSERT INTO idempotency_keys (merchant_id, idem_key, request_hash, state, response_status, response_body, locked_until, created_at, expires_at)
      VALUES ('mer_1', 'k-1', ?, 'completed', 201, '{"id":"tx_1"}', NOW(3), NOW(3), NOW(3) + INTERVAL 1 DAY)`,
      [hash],
    );
    await db.query(`INSERT INTO transactions (id, merchant_id, merchant_tx_id, user_id, tx_type, status, amount, currency, refunded_amount, settled_amount, version, created_at, updated_at)
      VALUES ('tx_m12', 'mer_1', 'o-1', 'u', 'CreditcardDeposit', 'SUCCESSFUL', 150000, 'UAH', 0, 180000, 1, NOW(3), NOW(3))`);
    await expect(db.query("UPDATE transactions SET refunded_amount = 170000 WHERE id = 'tx_m12'")).rejects.toThrow();

    const upgraded = new DataSource({ ...buildDataSourceOptions({ database }), migrations: upTo(1795279202000, true) });
    await upgraded.initialize();
    try {
      await upgraded.runMigrations({ transaction: 'each' });
      const rows = (await upgraded.query("SELECT * FROM idempotency_keys WHERE idem_key = 'k-1'")) as Array<Record<string, unknown>>;
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ fingerprint: null, owner: null, state: 'completed', response_status: 201 });
      expect(JSON.stringify(rows)).not.toContain(hash);
      await upgraded.query("UPDATE transactions SET refunded_amount = 170000 WHERE id = 'tx_m12'");
      await expect(upgraded.query("UPDATE transactions SET refunded_amount = 180001 WHERE id = 'tx_m12'")).rejects.toThrow();

      // Down again: the old column and CHECK come back (the hashless row cannot be kept without a hash).
      await upgraded.query("UPDATE transactions SET refunded_amount = 0 WHERE id = 'tx_m12'");
      await upgraded.undoLastMigration({ transaction: 'each' });
      await upgraded.undoLastMigration({ transaction: 'each' });
      const columns = (await upgraded.query(
        `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = ? AND table_name = 'idempotency_keys'`,
        [database.name],
      )) as Array<{ c: string }>;
      expect(columns.map((c) => c.c)).toContain('request_hash');
      expect(columns.map((c) => c.c)).not.toContain('owner');
      await expect(upgraded.query("UPDATE transactions SET refunded_amount = 170000 WHERE id = 'tx_m12'")).rejects.toThrow();
    } finally {
      await upgraded.destroy();
    }
  });
});
