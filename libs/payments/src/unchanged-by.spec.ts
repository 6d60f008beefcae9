import { TransactionEntity, TxStatus, TxType } from '@payhub/transactions';
import { changesNothing } from './apply-outcome.service';

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

describe('changesNothing (a status check with no news, recorded in bulk)', () => {
  it('is true for the same unfinished status with nothing new', () => {
    expect(changesNothing(tx(), { status: TxStatus.WAITING_INPUT, raw: {} })).toBe(true);
    expect(changesNothing(tx(), { status: TxStatus.WAITING_INPUT, providerTxId: 'p_1', raw: { any: 'thing' } })).toBe(true);
  });

  it('is false for a status change, a new provider field, a final row or a held conflict', () => {
    expect(changesNothing(tx(), { status: TxStatus.SUCCESSFUL, raw: {} })).toBe(false);
    expect(changesNothing(tx(), { status: TxStatus.WAITING_INPUT, providerTxId: 'p_2', raw: {} })).toBe(false);
    expect(changesNothing(tx(), { status: TxStatus.WAITING_INPUT, nextAction: null, raw: {} })).toBe(false);
    expect(changesNothing(tx(), { status: TxStatus.WAITING_INPUT, providerData: { ref: 'r' }, raw: {} })).toBe(false);
    expect(changesNothing(tx({ status: TxStatus.SUCCESSFUL }), { status: TxStatus.SUCCESSFUL, raw: {} })).toBe(false);
    // INCONSISTENT reported for a transaction past REGISTERED is a note the state machine keeps, not "no news".
    expect(changesNothing(tx(), { status: TxStatus.INCONSISTENT, raw: {} })).toBe(false);
    const held = tx({ conflict: { at: 'x', source: 'callback', code: 'AMOUNT_MISMATCH', reportedStatus: TxStatus.SUCCESSFUL, resolved: false } as never });
    expect(changesNothing(held, { status: TxStatus.WAITING_INPUT, raw: {} })).toBe(false);
  });
});
