import { ChangeContext, TransactionEntity, TxStatus, TxType } from '@payhub/transactions';
import { unchangedBy } from './apply-outcome.service';

const tx = (over: Partial<TransactionEntity> = {}): TransactionEntity =>
  ({
    id: 'tx_1',
    merchantId: 'm_1',
    merchantTxId: 'o_1',
    userId: 'u1',
    txType: TxType.CreditcardDeposit,
    status: TxStatus.WAITING_INPUT,
    amount: 1000n,
    currency: 'EUR',
    provider: 'testpay',
    providerAccount: 'DEFAULT',
    providerTxId: 'p_1',
    nextAction: { type: 'redirect', url: 'https://pay.example/3ds' },
    failure: null,
    providerData: null,
    conflict: null,
    refundedAmount: 0n,
    settledAmount: null,
    parentId: null,
    version: 2,
    ...over,
  }) as TransactionEntity;
const ctx: ChangeContext = { source: 'status_check', actor: 'reconciliation' };

describe('unchangedBy (status-check answers recorded in bulk, without the row lock)', () => {
  it("answers 'duplicate' for the same unfinished status with nothing new", () => {
    expect(unchangedBy(tx(), { status: TxStatus.WAITING_INPUT, raw: {} }, ctx)).toEqual({ result: 'duplicate' });
    expect(unchangedBy(tx(), { status: TxStatus.WAITING_INPUT, providerTxId: 'p_1', raw: { any: 'thing' } }, ctx)).toEqual({ result: 'duplicate' });
  });

  it("answers 'ignored' with the note apply would keep: an unknown outcome past REGISTERED, an unreachable status, a held conflict", () => {
    const unknown = unchangedBy(
      tx(),
      {
        status: TxStatus.INCONSISTENT,
        failure: { code: 'PROVIDER_ERROR' as never, reason: 'r', providerCode: 'E1', providerMessage: 'not found' },
        raw: { a: 1 },
      },
      ctx,
    );
    expect(unknown).toEqual({
      result: 'ignored',
      note: { ...ctx, providerCode: 'E1', providerMessage: 'not found', data: { raw: { a: 1 } } },
    });
    expect(unchangedBy(tx(), { status: TxStatus.REGISTERED, raw: {} }, ctx)).toMatchObject({
      result: 'ignored',
      note: { reason: 'provider reported REGISTERED, not reachable from WAITING_INPUT' },
    });
    const held = tx({ conflict: { at: 'x', source: 'callback', code: 'AMOUNT_MISMATCH', reportedStatus: TxStatus.SUCCESSFUL, resolved: false } as never });
    expect(unchangedBy(held, { status: TxStatus.WAITING_INPUT, raw: {} }, ctx)).toMatchObject({
      result: 'ignored',
      note: { reason: expect.stringContaining('held') },
    });
  });

  it('answers null (the locked way) for a status change, a new provider field, a money mismatch or a final row', () => {
    expect(unchangedBy(tx(), { status: TxStatus.SUCCESSFUL, raw: {} }, ctx)).toBeNull();
    expect(unchangedBy(tx(), { status: TxStatus.WAITING_INPUT, providerTxId: 'p_2', raw: {} }, ctx)).toBeNull();
    expect(unchangedBy(tx(), { status: TxStatus.WAITING_INPUT, nextAction: null, raw: {} }, ctx)).toBeNull();
    expect(unchangedBy(tx(), { status: TxStatus.WAITING_INPUT, providerData: { ref: 'r' }, raw: {} }, ctx)).toBeNull();
    expect(unchangedBy(tx(), { status: TxStatus.SUCCESSFUL, amount: 999n, raw: {} }, ctx)).toBeNull();
    expect(unchangedBy(tx({ status: TxStatus.SUCCESSFUL }), { status: TxStatus.SUCCESSFUL, raw: {} }, ctx)).toBeNull();
  });
});
