export enum TxStatus {
  REGISTERED = 'REGISTERED',
  WAITING_INPUT = 'WAITING_INPUT',
  PROCESSING = 'PROCESSING',
  WAITING_APPROVAL = 'WAITING_APPROVAL',
  SUCCESSFUL = 'SUCCESSFUL',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  INCONSISTENT = 'INCONSISTENT',
}

export const FINAL_STATUSES: readonly TxStatus[] = [TxStatus.SUCCESSFUL, TxStatus.FAILED, TxStatus.CANCELLED];
/** Statuses reconciliation keeps asking the provider about. */
export const UNFINISHED_STATUSES: readonly TxStatus[] = [TxStatus.WAITING_INPUT, TxStatus.PROCESSING, TxStatus.INCONSISTENT];

export function isFinal(status: TxStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export type EventSource = 'api' | 'callback' | 'status_check' | 'backoffice' | 'system';
