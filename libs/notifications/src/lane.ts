/** Named-lock name of a transaction's delivery lane: one holder at a time, across every worker process. */
export const LANE_LOCK_PREFIX = 'payhub:whk:';

export function laneLockName(transactionId: string): string {
  return `${LANE_LOCK_PREFIX}${transactionId}`;
}

/** Data of every deliver-webhook job: the job only says which lane to look at; the rows say what is due. */
export interface DeliverWebhookJob {
  transactionId: string;
  eventId?: string;
}
