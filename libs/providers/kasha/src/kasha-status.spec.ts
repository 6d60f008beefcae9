import { FailureCode, TxStatus, TxType } from '@payhub/domain';
import type { TransactionView } from '@payhub/providers-core';
import { KASHA_STATUSES, KashaStatus, KashaStatusContext, mapKashaStatus, mapRefundAnswer, mapSettleAnswer } from './kasha-status';

/** Kasha's status tables, row by row: every documented status in every flow, and nothing guessed. */
describe("Kasha's status tables", () => {
  const tx = (txType: TxType, status: TxStatus, providerData: Record<string, unknown> = {}) =>
    ({ id: 'tx_1', txType, status, providerTxId: 'k-1', currency: 'BRL', amount: 1000n, providerData }) as unknown as TransactionView;
  const ctx = (t: TransactionView, over: Partial<KashaStatusContext> = {}): KashaStatusContext => ({
    tx: t,
    json: {},
    sessionExpired: false,
    expireAfterSession: false,
    ...over,
  });
  const declinedJson = { status: 'DECLINED', errors: { code: '3000', msg: 'Insufficient card funds.' } };

  const deposit = tx(TxType.BankDeposit, TxStatus.WAITING_INPUT);
  const DEPOSIT: Record<KashaStatus, TxStatus> = {
    PENDING: TxStatus.WAITING_INPUT,
    PROCESSING: TxStatus.PROCESSING,
    COMPLETED: TxStatus.SUCCESSFUL,
    REFUNDED: TxStatus.SUCCESSFUL,
    DECLINED: TxStatus.FAILED,
    ERROR: TxStatus.INCONSISTENT,
  };
  it.each(KASHA_STATUSES)('deposit: %s', (status) => {
    expect(mapKashaStatus(status, ctx(deposit, { json: status === 'DECLINED' ? declinedJson : {} })).status).toBe(DEPOSIT[status]);
  });

  it('deposit: a decline carries its error code; ERROR is 1100 unless Kasha names another', () => {
    expect(mapKashaStatus('DECLINED', ctx(deposit, { json: declinedJson })).failure).toMatchObject({
      code: FailureCode.INSUFFICIENT_FUNDS,
      providerCode: '3000',
    });
    expect(mapKashaStatus('DECLINED', ctx(deposit, { json: { status: 'DECLINED' } })).failure).toMatchObject({ providerCode: '999' });
    expect(mapKashaStatus('ERROR', ctx(deposit)).failure).toMatchObject({ code: FailureCode.PROVIDER_ERROR, providerCode: '1100' });
  });

  it('deposit PENDING: PROCESSING once payhub has it PROCESSING or past the session; EXPIRED only when the account says expire', () => {
    expect(mapKashaStatus('PENDING', ctx(tx(TxType.BankDeposit, TxStatus.PROCESSING))).status).toBe(TxStatus.PROCESSING);
    expect(mapKashaStatus('PENDING', ctx(deposit, { sessionExpired: true })).status).toBe(TxStatus.PROCESSING);
    expect(mapKashaStatus('PENDING', ctx(deposit, { sessionExpired: true, expireAfterSession: true }))).toMatchObject({
      status: TxStatus.FAILED,
      failure: { code: FailureCode.EXPIRED },
    });
    expect(mapKashaStatus('PENDING', ctx(deposit, { expireAfterSession: true })).status).toBe(TxStatus.WAITING_INPUT);
  });

  it.each(['EXPIRED', 'CANCELLED', 'CANCELED', 'SOMETHING_NEW', 'completed ', ''])(
    'an undocumented status %p is INCONSISTENT with the value kept, never guessed',
    (status) => {
      for (const t of [deposit, tx(TxType.BankLocalWithdrawal, TxStatus.PROCESSING), tx(TxType.Refund, TxStatus.PROCESSING)]) {
        expect(mapKashaStatus(status, ctx(t))).toMatchObject({
          status: TxStatus.INCONSISTENT,
          failure: { code: FailureCode.PROVIDER_ERROR, providerCode: status === '' ? '' : status },
        });
      }
    },
  );

  it('payout: PENDING reads against what payhub asked; DECLINED after our DECLINE is the staff decision', () => {
    const payout = (status: TxStatus, data: Record<string, unknown> = {}) => tx(TxType.BankLocalWithdrawal, status, data);
    expect(mapKashaStatus('PENDING', ctx(payout(TxStatus.WAITING_APPROVAL))).status).toBe(TxStatus.WAITING_APPROVAL);
    expect(mapKashaStatus('PENDING', ctx(payout(TxStatus.PROCESSING, { settlement: 'APPROVE' }))).status).toBe(TxStatus.PROCESSING);
    expect(mapKashaStatus('PENDING', ctx(payout(TxStatus.WAITING_INPUT, { flow: 'hosted' }))).status).toBe(TxStatus.WAITING_INPUT);
    expect(mapKashaStatus('PENDING', ctx(payout(TxStatus.PROCESSING)))).toMatchObject({
      status: TxStatus.INCONSISTENT,
      failure: { reason: expect.stringContaining('settle-payout was never confirmed') },
    });
    expect(mapKashaStatus('COMPLETED', ctx(payout(TxStatus.PROCESSING))).status).toBe(TxStatus.SUCCESSFUL);
    expect(mapKashaStatus('PROCESSING', ctx(payout(TxStatus.PROCESSING))).status).toBe(TxStatus.PROCESSING);
    expect(mapKashaStatus('REFUNDED', ctx(payout(TxStatus.PROCESSING))).status).toBe(TxStatus.INCONSISTENT);
    expect(mapKashaStatus('ERROR', ctx(payout(TxStatus.PROCESSING))).status).toBe(TxStatus.INCONSISTENT);
    expect(mapKashaStatus('DECLINED', ctx(payout(TxStatus.PROCESSING), { json: declinedJson })).failure).toMatchObject({ providerCode: '3000' });
    expect(mapKashaStatus('DECLINED', ctx(payout(TxStatus.CANCELLED, { settlement: 'DECLINE' }))).failure).toMatchObject({
      code: FailureCode.DECLINED_BY_STAFF,
    });
  });

  it("refund status check (the refunded deposit's status): only REFUNDED settles it", () => {
    const refund = tx(TxType.Refund, TxStatus.PROCESSING);
    const REFUND: Record<KashaStatus, TxStatus> = {
      REFUNDED: TxStatus.SUCCESSFUL,
      PROCESSING: TxStatus.PROCESSING,
      PENDING: TxStatus.PROCESSING,
      COMPLETED: TxStatus.INCONSISTENT,
      DECLINED: TxStatus.INCONSISTENT,
      ERROR: TxStatus.INCONSISTENT,
    };
    for (const status of KASHA_STATUSES) expect([status, mapKashaStatus(status, ctx(refund)).status]).toEqual([status, REFUND[status]]);
  });

  it('refund answer (000): SUCCESSFUL only on REFUNDED; no status is accepted, not refunded', () => {
    const REFUND_ANSWER: Record<KashaStatus, TxStatus> = {
      REFUNDED: TxStatus.SUCCESSFUL,
      PROCESSING: TxStatus.PROCESSING,
      PENDING: TxStatus.PROCESSING,
      COMPLETED: TxStatus.PROCESSING,
      DECLINED: TxStatus.FAILED,
      ERROR: TxStatus.INCONSISTENT,
    };
    for (const status of KASHA_STATUSES) expect([status, mapRefundAnswer(status, declinedJson).status]).toEqual([status, REFUND_ANSWER[status]]);
    expect(mapRefundAnswer(undefined, {}).status).toBe(TxStatus.PROCESSING);
    expect(mapRefundAnswer('VOIDED', {}).status).toBe(TxStatus.INCONSISTENT);
  });

  it('settle-payout answer: PROCESSING / COMPLETED / DECLINED; anything else is reported, not hidden', () => {
    const approve = { json: {}, action: 'APPROVE' as const, reason: null };
    const SETTLE: Record<KashaStatus, TxStatus> = {
      PROCESSING: TxStatus.PROCESSING,
      COMPLETED: TxStatus.SUCCESSFUL,
      DECLINED: TxStatus.FAILED,
      PENDING: TxStatus.INCONSISTENT,
      REFUNDED: TxStatus.INCONSISTENT,
      ERROR: TxStatus.INCONSISTENT,
    };
    for (const status of KASHA_STATUSES) expect([status, mapSettleAnswer(status, approve).status]).toEqual([status, SETTLE[status]]);
    expect(mapSettleAnswer('DECLINED', { json: {}, action: 'DECLINE', reason: 'not verified' }).failure).toMatchObject({
      code: FailureCode.DECLINED_BY_STAFF,
      providerMessage: 'not verified',
    });
    expect(mapSettleAnswer('DECLINED', { ...approve, json: declinedJson }).failure).toMatchObject({ providerCode: '3000' });
    expect(mapSettleAnswer('ON_HOLD', approve).status).toBe(TxStatus.INCONSISTENT);
  });
});
