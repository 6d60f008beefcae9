import { newId } from '@payhub/common';
import { SqlBatch } from '@payhub/database';
import { OutboxEntity, TransactionEntity, TransactionEventEntity, TxStatus, TxType } from '@payhub/transactions';
import { In } from 'typeorm';
import { TestApp } from './support/test-app';

describe('SqlBatch: one DB transaction in one round trip, against the real MySQL', () => {
  let t: TestApp;
  let batch: SqlBatch;

  beforeAll(async () => {
    t = await TestApp.start();
    batch = t.app.get(SqlBatch);
  });
  afterAll(() => t.close());

  const event = (txId: string, reason: string | null, data: Record<string, unknown> | null = null): Partial<TransactionEventEntity> => ({
    transactionId: txId,
    kind: 'status_change',
    fromStatus: null,
    toStatus: TxStatus.REGISTERED,
    source: 'system',
    actor: null,
    providerCode: null,
    providerMessage: null,
    reason,
    data,
    createdAt: new Date('2026-11-21T10:11:12.345Z'),
  });
  const outbox = (txId: string, eventId: string): Partial<OutboxEntity> => ({
    eventId,
    merchantId: 'mer_x',
    transactionId: txId,
    type: 'transaction.updated',
    payload: { eventId },
    createdAt: new Date(),
    publishedAt: null,
  });
  const eventsOf = (txId: string) => t.db.getRepository(TransactionEventEntity).find({ where: { transactionId: txId }, order: { id: 'ASC' } });

  it('writes values exactly, whatever quotes, backslashes, placeholders or statement separators they hold', async () => {
    const txId = newId('tx');
    const hostile = `it's "quoted" \\ back\\slash ? ?? :name ; DROP TABLE outbox; -- ${'\u0000'}ünïcødé 😀 \n\r\t`;
    const data = { hostile, nested: { list: [1, 'two', null, true], quote: "'; --" } };
    expect(await batch.transaction([batch.insert(TransactionEventEntity, event(txId, hostile, data))])).toEqual([1]);
    const [row] = await eventsOf(txId);
    expect(row.reason).toBe(hostile);
    expect(row.data).toEqual(data);
    expect(row.createdAt.toISOString()).toBe('2026-11-21T10:11:12.345Z');
    expect(await t.db.query('SELECT COUNT(*) AS n FROM outbox')).toEqual([{ n: expect.any(String) }]);
  });

  it('converts columns as TypeORM does: bigint minor units, JSON, nulls, UTC datetimes', async () => {
    const id = newId('tx');
    const now = new Date('2026-11-21T23:59:59.999Z');
    await batch.transaction([
      batch.insert(TransactionEntity, {
        id,
        merchantId: 'mer_batch',
        merchantTxId: id,
        userId: 'u',
        txType: TxType.CreditcardDeposit,
        service: null,
        status: TxStatus.REGISTERED,
        amount: 9_007_199_254_740_993n,
        currency: 'UAH',
        country: null,
        provider: 'testpay',
        providerAccount: 'DEFAULT',
        parentId: null,
        routingRuleId: null,
        routingReason: null,
        cardBrand: null,
        cardBin: null,
        cardLast4: null,
        cardExpiry: null,
        details: { a: 1, b: 'x' },
        notificationUrl: null,
        createdBy: null,
        providerTxId: null,
        nextAction: null,
        failure: null,
        providerData: null,
        refundedAmount: 0n,
        settledAmount: null,
        conflict: null,
        version: 0,
        createdAt: now,
        updatedAt: now,
      }),
    ]);
    const row = await t.db.getRepository(TransactionEntity).findOneByOrFail({ id });
    expect(row).toMatchObject({
      amount: 9_007_199_254_740_993n,
      refundedAmount: 0n,
      settledAmount: null,
      details: { a: 1, b: 'x' },
      nextAction: null,
      version: 0,
    });
    expect(row.createdAt.toISOString()).toBe('2026-11-21T23:59:59.999Z');

    const [updated] = await batch.transaction([
      batch.update(TransactionEntity, { status: TxStatus.PROCESSING, version: 1, settledAmount: 5n }, { id, version: 0 }),
    ]);
    expect(updated).toBe(1);
    const [stale] = await batch.transaction([batch.update(TransactionEntity, { status: TxStatus.FAILED, version: 1 }, { id, version: 0 })]);
    expect(stale).toBe(0);
    expect(await t.db.getRepository(TransactionEntity).findOneByOrFail({ id })).toMatchObject({ status: TxStatus.PROCESSING, version: 1, settledAmount: 5n });
    // Never an UPDATE of every row: a condition that is missing or null is refused before anything is sent.
    expect(() => batch.update(TransactionEntity, { status: TxStatus.FAILED }, {})).toThrow('needs non-null conditions');
    expect(() => batch.update(TransactionEntity, { status: TxStatus.FAILED }, { id: undefined })).toThrow('needs non-null conditions');
    expect(() => batch.update(TransactionEntity, { status: TxStatus.FAILED }, { parentId: null })).toThrow('needs non-null conditions');
  });

  it('inserts many rows in one INSERT IGNORE, through a TypeORM manager too: exact values, duplicates left as they were, DEFAULT for a missing value', async () => {
    const txId = newId('tx');
    const hostile = `it's "quoted" \\ ? ; -- ${'\u0000'}ünïcødé 😀`;
    const rows = [outbox(txId, newId('evt')), { ...outbox(txId, newId('evt')), payload: { hostile } }, outbox(txId, newId('evt'))];
    const statement = batch.insertIgnoreMany(OutboxEntity, rows);
    expect(await batch.transaction([statement])).toEqual([3]);
    const stored = await t.db.getRepository(OutboxEntity).find({ where: { transactionId: txId }, order: { id: 'ASC' } });
    expect(stored.map((r) => [r.eventId, r.payload, r.publishedAt])).toEqual(rows.map((r) => [r.eventId, r.payload, null]));

    // Run alone through TypeORM (as the outbox relay does inside its DB transaction): the twin rows are ignored.
    const again = [rows[0], { ...outbox(txId, newId('evt')), payload: { hostile, placeholders: '? ?? :name' } }];
    const result: { affectedRows?: number } = await t.db.transaction((manager) => manager.query(batch.insertIgnoreMany(OutboxEntity, again).sql));
    expect(result.affectedRows).toBe(1);
    expect(await t.db.getRepository(OutboxEntity).countBy({ transactionId: txId })).toBe(4);
    expect((await t.db.getRepository(OutboxEntity).findOneByOrFail({ eventId: again[1].eventId })).payload).toEqual(again[1].payload);

    const withoutPublished = [
      { ...outbox(txId, newId('evt')), publishedAt: new Date('2026-11-21T10:11:12.345Z') },
      { ...outbox(txId, newId('evt')), publishedAt: undefined },
    ];
    expect(await batch.transaction([batch.insertIgnoreMany(OutboxEntity, withoutPublished)])).toEqual([2]);
    const [published, defaulted] = await t.db
      .getRepository(OutboxEntity)
      .find({ where: { eventId: In(withoutPublished.map((r) => r.eventId!)) }, order: { id: 'ASC' } });
    expect(published.publishedAt?.toISOString()).toBe('2026-11-21T10:11:12.345Z');
    expect(defaulted.publishedAt).toBeNull();
    expect(() => batch.insertIgnoreMany(OutboxEntity, [])).toThrow('at least one row');
    expect(() => batch.insertIgnoreMany(OutboxEntity, [{ ...outbox(txId, newId('evt')), publishedAt: undefined }, outbox(txId, newId('evt'))])).toThrow(
      'outbox: property publishedAt is not set in the first row',
    );
  });

  it('writes a guarded insert only when its condition holds', async () => {
    const txId = newId('tx');
    await batch.transaction([
      batch.update(TransactionEntity, { version: 1 }, { id: 'tx_none' }),
      batch.rememberRowCount('payhub_test_flag'),
      batch.insert(TransactionEventEntity, event(txId, 'never'), { onlyIfOneRow: 'payhub_test_flag' }),
      batch.insert(TransactionEventEntity, event(txId, 'always')),
    ]);
    expect((await eventsOf(txId)).map((e) => e.reason)).toEqual(['always']);
    expect(() => batch.rememberRowCount('x; DROP TABLE outbox')).toThrow('invalid session variable name');
    expect(() => batch.insert(TransactionEventEntity, event(txId, 'x'), { onlyIfOneRow: '1 = 1 OR 1' })).toThrow('invalid session variable name');
  });

  it('resets its session variables at the start of every batch: a stale value on a pooled connection never guards an insert', async () => {
    const txId = newId('tx');
    await batch.transaction([batch.insert(OutboxEntity, outbox(txId, newId('evt')))]);
    // Leave @payhub_test_stale = 1 on every pooled connection (more batches in parallel than the pool holds).
    await Promise.all(
      Array.from({ length: 12 }, () =>
        batch.transaction([batch.update(OutboxEntity, { merchantId: 'mer_x' }, { transactionId: txId }), batch.rememberRowCount('payhub_test_stale')]),
      ),
    );
    // A batch whose guard was never set in it (its remembering statement is missing) must not see that 1.
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        batch.transaction([batch.insert(TransactionEventEntity, event(txId, `stale ${i}`), { onlyIfOneRow: 'payhub_test_stale' })]),
      ),
    );
    expect(results).toEqual(Array(12).fill([0]));
    expect(await eventsOf(txId)).toEqual([]);
  });

  it('rolls the whole batch back when a statement fails, and the connection goes back clean', async () => {
    const txId = newId('tx');
    const eventId = newId('evt');
    await batch.transaction([batch.insert(OutboxEntity, outbox(txId, eventId))]);
    // More failing batches than the pool has connections: each must release its connection without an open transaction.
    for (let i = 0; i < 25; i++) {
      await expect(
        batch.transaction([batch.insert(TransactionEventEntity, event(txId, `attempt ${i}`)), batch.insert(OutboxEntity, outbox(txId, eventId))]),
      ).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    }
    expect(await eventsOf(txId)).toEqual([]);
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => batch.transaction([batch.insert(TransactionEventEntity, event(txId, `ok ${i}`))])));
    expect(results).toEqual(Array(15).fill([1]));
    expect(await eventsOf(txId)).toHaveLength(15);
  });
});
