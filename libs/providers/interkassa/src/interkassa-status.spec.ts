import { TxStatus } from '@payhub/domain';
import { mapCoInvoiceState, mapInvoiceState, mapRefundInvoiceState, mapWithdrawState } from './interkassa-status';

describe('Interkassa status mapping', () => {
  // Not paid yet ('new', co-invoice 2) is WAITING_INPUT, so an abandoned 3-D Secure expires with its session (issue 15).
  it.each([
    ['success', TxStatus.SUCCESSFUL],
    ['new', TxStatus.WAITING_INPUT],
    ['waitAccept', TxStatus.PROCESSING],
    ['process', TxStatus.PROCESSING],
    ['fail', TxStatus.FAILED],
    ['canceled', TxStatus.CANCELLED],
    ['paid', TxStatus.INCONSISTENT],
    ['', TxStatus.INCONSISTENT],
  ])('ik_inv_st %s → %s', (state, expected) => {
    expect(mapInvoiceState(state).status).toBe(expected);
  });

  it.each([
    ['2', TxStatus.WAITING_INPUT],
    ['3', TxStatus.PROCESSING],
    ['4', TxStatus.SUCCESSFUL],
    ['5', TxStatus.FAILED],
    ['6', TxStatus.INCONSISTENT],
    ['7', TxStatus.SUCCESSFUL],
    ['8', TxStatus.FAILED],
    ['9', TxStatus.SUCCESSFUL],
    ['1', TxStatus.INCONSISTENT],
    ['42', TxStatus.INCONSISTENT],
  ])('co-invoice state %s → %s', (state, expected) => {
    expect(mapCoInvoiceState(state).status).toBe(expected);
  });

  it('settles a refund only on "refunded"', () => {
    expect(mapRefundInvoiceState('9').status).toBe(TxStatus.SUCCESSFUL);
    expect(mapRefundInvoiceState('4').status).toBe(TxStatus.PROCESSING);
    expect(mapRefundInvoiceState('7').status).toBe(TxStatus.INCONSISTENT);
  });

  it.each([
    ['1', TxStatus.PROCESSING],
    ['6', TxStatus.PROCESSING],
    ['12', TxStatus.PROCESSING],
    ['8', TxStatus.SUCCESSFUL],
    ['3', TxStatus.FAILED],
    ['9', TxStatus.FAILED],
    ['11', TxStatus.FAILED],
    ['10', TxStatus.INCONSISTENT],
  ])('withdraw state %s → %s', (state, expected) => {
    expect(mapWithdrawState(state, null).status).toBe(expected);
  });

  it('falls back to stateName and never guesses an unknown one', () => {
    expect(mapWithdrawState(null, 'success').status).toBe(TxStatus.SUCCESSFUL);
    expect(mapWithdrawState(null, 'canceled').status).toBe(TxStatus.FAILED);
    expect(mapWithdrawState(null, 'weird')).toMatchObject({ status: TxStatus.INCONSISTENT, failure: { providerCode: 'weird' } });
  });
});
