import { DataSource } from 'typeorm';
import { buildDataSourceOptions, ReadReplicas } from '@payhub/database';
import { loadConfig } from '@payhub/common';
import { TransactionEntity } from '@payhub/transactions';
import { isolatedDatabaseUrl } from './support/isolated-database';
import { deposit, TestApp, TestMerchant } from './support/test-app';

/**
 * DATABASE_REPLICA_URLS: back-office searches and reports read the replica, the payment path never does.
 * The "replica" here is a schema of its own that nothing replicates into, i.e. a replica lagging for
 * ever: whatever the back office shows must have come from it (the scale test runs a real replica).
 */
describe('read replicas for back-office reads', () => {
  let t: TestApp;
  let replica: DataSource;
  let merchant: TestMerchant;

  beforeAll(async () => {
    const replicaUrl = await isolatedDatabaseUrl('replica');
    t = await TestApp.start({ env: { DATABASE_REPLICA_URLS: replicaUrl } });
    replica = await new DataSource(
      buildDataSourceOptions(loadConfig({ DATABASE_URL: replicaUrl, PAYHUB_SECRET_KEY: 'a'.repeat(64) }), [TransactionEntity]),
    ).initialize();
    merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
  });
  afterAll(async () => {
    await replica?.destroy();
    await t?.close();
  });

  it('sends the back-office transaction search to the replica, and the payment path to the primary', async () => {
    const viewer = await t.newStaff(['viewer']);
    const created = await merchant.api.post('/v1/deposits', deposit({ amount: 150004 }));
    expect(created.status).toBe(201);
    // The payment path reads its own write on the primary.
    expect((await merchant.api.get(`/v1/transactions/${created.body.id}`)).body).toMatchObject({ id: created.body.id, status: 'SUCCESSFUL' });
    expect((await merchant.api.get(`/v1/transactions?merchantTxId=${created.body.merchantTxId}`)).body.data).toHaveLength(1);

    const search = `/backoffice/transactions?merchantId=${merchant.id}`;
    expect((await viewer.bo.get(search)).body.data).toEqual([]);
    // The row reaches the replica (as replication would): now the back office sees it.
    await replica.getRepository(TransactionEntity).save(await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: created.body.id }));
    const found = await viewer.bo.get(search);
    expect(found.status).toBe(200);
    expect(found.body.data.map((x: { id: string }) => x.id)).toEqual([created.body.id]);
  });

  it('sends the audit log and reconciliation report lists to the replica', async () => {
    const admin = await t.newStaff(['admin']);
    const renamed = await admin.bo.patch(`/backoffice/merchants/${merchant.id}`, { name: 'renamed-on-primary' });
    expect(renamed.status).toBe(200);
    const primaryAudit = await t.db.query('SELECT COUNT(*) AS n FROM audit_log WHERE target_id = ?', [merchant.id]);
    expect(Number(primaryAudit[0].n)).toBeGreaterThan(0);
    const audit = await admin.bo.get(`/backoffice/audit-log?targetId=${merchant.id}`);
    expect(audit.status).toBe(200);
    expect(audit.body.data).toEqual([]);
    const reports = await admin.bo.get(`/backoffice/reconciliation/reports?merchantId=${merchant.id}`);
    expect(reports.status).toBe(200);
    expect(reports.body.data).toEqual([]);
  });

  it('falls back to the primary when no replica is configured', async () => {
    const plain = await TestApp.start();
    try {
      expect(plain.app.get(ReadReplicas).configured).toBe(false);
      expect(await plain.app.get(ReadReplicas).dataSource()).toBe(plain.db);
    } finally {
      await plain.close();
    }
  });
});
