import { FailureCode, OutboxEntity, TransactionEntity, TransactionEventEntity, TransactionStateService, TxStatus, TxType } from '@payhub/transactions';
import { newId } from '@payhub/common';
import { TestApp } from './support/test-app';

describe('transaction state machine against MySQL', () => {
  let t: TestApp;
  let state: TransactionStateService;
  let merchantId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    state = t.app.get(TransactionStateService);
    merchantId = (await t.newMerchant()).id;
  });
  afterAll(() => t.close());

  const create = (status = TxStatus.REGISTERED) =>
    state.create(
      {
        id: newId('tx'),
        merchantId,
        merchantTxId: newId('tx'),
        userId: 'u1',
        txType: TxType.CreditcardDeposit,
        service: null,
        status,
        amount: 1000n,
        currency: 'EUR',
        country: 'DE',
        provider: 'testpay',
        providerAccount: 'DEFAULT',
        parentId: null,
        routingRuleId: null,
        routingReason: null,
        cardBrand: null,
        cardBin: null,
        cardLast4: null,
        cardExpiry: null,
        details: null,
        notificationUrl: null,
        createdBy: null,
      },
      { source: 'system' },
    );

  it('writes the event and the outbox row with every change', async () => {
    const tx = await create();
    await state.transition(tx.id, TxStatus.PROCESSING, { source: 'api', providerCode: 'P1' });
    await state.transition(tx.id, TxStatus.SUCCESSFUL, { source: 'callback', actor: 'testpay' });
    const events = await t.db.getRepository(TransactionEventEntity).find({ where: { transactionId: tx.id }, order: { id: 'ASC' } });
    expect(events.map((e) => [e.fromStatus, e.toStatus, e.source])).toEqual([
      [null, 'REGISTERED', 'system'],
      ['REGISTERED', 'PROCESSING', 'api'],
      ['PROCESSING', 'SUCCESSFUL', 'callback'],
    ]);
    const outbox = await t.db.getRepository(OutboxEntity).find({ where: { transactionId: tx.id }, order: { id: 'ASC' } });
    expect(outbox.map((o) => (o.payload as { previousStatus: string | null }).previousStatus)).toEqual([null, 'REGISTERED', 'PROCESSING']);
    expect(new Set(outbox.map((o) => o.eventId)).size).toBe(3);
  });

  it('a success clears the failure an earlier unknown outcome recorded', async () => {
    const tx = await create();
    const unknown = { code: FailureCode.PROVIDER_ERROR, reason: 'outcome unknown', providerCode: null, providerMessage: null };
    await state.transition(tx.id, TxStatus.INCONSISTENT, { source: 'status_check' }, { failure: unknown });
    expect((await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: tx.id })).failure).toMatchObject({ code: 'PROVIDER_ERROR' });
    await state.transition(tx.id, TxStatus.SUCCESSFUL, { source: 'api' });
    expect((await t.db.getRepository(TransactionEntity).findOneByOrFail({ id: tx.id })).failure).toBeNull();
  });

  it('refuses illegal moves with a domain error and changes nothing', async () => {
    const tx = await create();
    await state.transition(tx.id, TxStatus.FAILED, { source: 'api' });
    await expect(state.transition(tx.id, TxStatus.SUCCESSFUL, { source: 'callback' })).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    await expect(state.transition(tx.id, TxStatus.PROCESSING, { source: 'callback' })).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    const rows = await t.db.getRepository(TransactionEventEntity).countBy({ transactionId: tx.id });
    expect(rows).toBe(2);
    const waiting = await create(TxStatus.WAITING_APPROVAL);
    await expect(state.transition(waiting.id, TxStatus.WAITING_APPROVAL, { source: 'api' })).resolves.toMatchObject({ changed: false });
  });

  it('applies one of many racing transitions and rejects the rest', async () => {
    const tx = await create(TxStatus.PROCESSING);
    const targets = [TxStatus.SUCCESSFUL, TxStatus.FAILED, TxStatus.CANCELLED, TxStatus.SUCCESSFUL, TxStatus.FAILED, TxStatus.SUCCESSFUL];
    const results = await Promise.allSettled(targets.map((to) => state.transition(tx.id, to, { source: 'callback' })));
    const changed = results.filter((r) => r.status === 'fulfilled' && r.value.changed);
    expect(changed).toHaveLength(1);
    const events = await t.db.getRepository(TransactionEventEntity).findBy({ transactionId: tx.id });
    expect(events.filter((e) => e.fromStatus === 'PROCESSING')).toHaveLength(1);
  });

  it('unknown transaction → TRANSACTION_NOT_FOUND', async () => {
    await expect(state.transition('tx_NOPE', TxStatus.FAILED, { source: 'api' })).rejects.toMatchObject({ code: 'TRANSACTION_NOT_FOUND' });
  });
});
