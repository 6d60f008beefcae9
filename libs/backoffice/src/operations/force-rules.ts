import { TxStatus } from '../../../domain/src/tx-status';

// Pure rules (no framework imports), shared with the console, which offers only the moves allowed here.
/**
 * Where staff may put a transaction: a final status, back with the provider for more status checks, or
 * (from SUCCESSFUL or FAILED) INCONSISTENT, the only road between those two, as PaymentIQ has it.
 */
export const FORCEABLE_STATUSES: readonly TxStatus[] = [TxStatus.SUCCESSFUL, TxStatus.FAILED, TxStatus.CANCELLED, TxStatus.PROCESSING, TxStatus.INCONSISTENT];

const OPPOSITES: ReadonlyArray<readonly [TxStatus, TxStatus]> = [
  [TxStatus.SUCCESSFUL, TxStatus.FAILED],
  [TxStatus.FAILED, TxStatus.SUCCESSFUL],
];

/** Why staff may not force `from` to `to`, or null when they may. */
export function forceRefusal(from: TxStatus, to: TxStatus, openConflict: boolean): string | null {
  if (to === TxStatus.INCONSISTENT) {
    return from === TxStatus.SUCCESSFUL || from === TxStatus.FAILED
      ? null
      : `only a SUCCESSFUL or FAILED transaction is put back to INCONSISTENT, not a ${from} one`;
  }
  if (from !== TxStatus.INCONSISTENT && !openConflict)
    return `it is ${from} without an open conflict; only INCONSISTENT or conflicting transactions can be forced`;
  if (OPPOSITES.some(([a, b]) => a === from && b === to)) return `${from} becomes ${to} only through INCONSISTENT: force INCONSISTENT first, then ${to}`;
  return null;
}
