import { TxStatus } from './tx-status';

const { REGISTERED, WAITING_INPUT, PROCESSING, WAITING_APPROVAL, SUCCESSFUL, FAILED, CANCELLED, INCONSISTENT } = TxStatus;

/**
 * The only legal status moves. Final statuses have no way out here: contradicting provider results
 * become conflicts, and only staff can force a status (which bypasses this table, audited).
 */
export const TRANSITIONS: Readonly<Record<TxStatus, readonly TxStatus[]>> = {
  [REGISTERED]: [WAITING_INPUT, PROCESSING, WAITING_APPROVAL, SUCCESSFUL, FAILED, CANCELLED, INCONSISTENT],
  [WAITING_INPUT]: [PROCESSING, SUCCESSFUL, FAILED, CANCELLED, INCONSISTENT],
  [PROCESSING]: [WAITING_INPUT, SUCCESSFUL, FAILED, CANCELLED, INCONSISTENT],
  [WAITING_APPROVAL]: [REGISTERED, PROCESSING, SUCCESSFUL, FAILED, CANCELLED, INCONSISTENT],
  [INCONSISTENT]: [WAITING_INPUT, PROCESSING, SUCCESSFUL, FAILED, CANCELLED],
  [SUCCESSFUL]: [],
  [FAILED]: [],
  [CANCELLED]: [],
};

export function canTransition(from: TxStatus, to: TxStatus): boolean {
  return TRANSITIONS[from].includes(to);
}
