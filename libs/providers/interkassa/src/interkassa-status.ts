import { Failure, FailureCode, TxStatus } from '@payhub/domain';

export interface MappedStatus {
  status: TxStatus;
  failure?: Failure;
}

const unknown = (what: string, value: string): MappedStatus => ({
  status: TxStatus.INCONSISTENT,
  failure: { code: FailureCode.PROVIDER_ERROR, reason: `Interkassa reported an unknown ${what} "${value}"; the status is checked instead`, providerCode: value },
});

/** `ik_inv_st` of the interaction notification (NOTES §1.4). */
export function mapInvoiceState(state: string): MappedStatus {
  switch (state) {
    case 'success':
      return { status: TxStatus.SUCCESSFUL };
    // `new`: the customer has not paid yet (e.g. still at 3-D Secure), so the session may expire.
    case 'new':
      return { status: TxStatus.WAITING_INPUT };
    case 'waitAccept':
    case 'process':
      return { status: TxStatus.PROCESSING };
    case 'fail':
      // The notification names no cause: a decline at Interkassa's end, not necessarily the issuer's.
      return { status: TxStatus.FAILED, failure: { code: FailureCode.DECLINED_BY_PROVIDER, reason: 'Interkassa reported the payment as failed', providerCode: state } };
    case 'canceled':
      return { status: TxStatus.CANCELLED, failure: { code: FailureCode.CANCELLED_BY_USER, reason: 'The payment was cancelled at Interkassa', providerCode: state } };
    default:
      return unknown('invoice state', state);
  }
}

/**
 * co-invoice `state` (NOTES §1.5), seen from the deposit. 4 (refund in progress) and 9 (refunded)
 * mean the deposit itself was paid; refunds are child transactions. 6 is called "failed" by a single
 * third-party source only, so it is not trusted.
 */
export function mapCoInvoiceState(state: string): MappedStatus {
  switch (state) {
    // 2 "waiting payment": nothing paid yet, the customer may still be at 3-D Secure or may have left.
    case '2':
      return { status: TxStatus.WAITING_INPUT };
    case '3':
      return { status: TxStatus.PROCESSING };
    case '4':
    case '7':
    case '9':
      return { status: TxStatus.SUCCESSFUL };
    case '5':
      return { status: TxStatus.FAILED, failure: { code: FailureCode.EXPIRED, reason: 'The Interkassa invoice expired', providerCode: state } };
    case '8':
      return { status: TxStatus.FAILED, failure: { code: FailureCode.DECLINED_BY_PROVIDER, reason: 'The payment system cancelled the payment', providerCode: state } };
    default:
      return unknown('co-invoice state', state);
  }
}

/** co-invoice `state` seen from a refund of that invoice: only "refunded" settles a refund. */
export function mapRefundInvoiceState(state: string): MappedStatus {
  switch (state) {
    case '4':
      return { status: TxStatus.PROCESSING };
    case '9':
      return { status: TxStatus.SUCCESSFUL };
    default:
      return unknown('co-invoice state for a refund', state);
  }
}

/** Payout `state` of GET /withdraw/{id} (NOTES §1.5), with `stateName` as the fallback. */
export function mapWithdrawState(state: string | null, stateName: string | null): MappedStatus {
  switch (state) {
    case '1':
    case '2':
    case '4':
    case '5':
    case '6':
    case '7':
    case '12':
      return { status: TxStatus.PROCESSING };
    case '8':
      return { status: TxStatus.SUCCESSFUL };
    case '3':
      // Interkassa's moderation, not payhub's staff (DECLINED_BY_STAFF is theirs).
      return { status: TxStatus.FAILED, failure: { code: FailureCode.DECLINED_BY_PROVIDER, reason: 'Interkassa moderation rejected the payout', providerCode: state } };
    case '9':
    case '11':
      return { status: TxStatus.FAILED, failure: { code: FailureCode.DECLINED_BY_PROVIDER, reason: state === '9' ? 'Interkassa cancelled the payout' : 'The payout was returned', providerCode: state } };
    case null:
      if (stateName === 'success') return { status: TxStatus.SUCCESSFUL };
      if (stateName === 'canceled') return { status: TxStatus.FAILED, failure: { code: FailureCode.DECLINED_BY_PROVIDER, reason: 'Interkassa cancelled the payout', providerCode: stateName } };
      return unknown('payout state name', String(stateName));
    default:
      return unknown('payout state', state);
  }
}
