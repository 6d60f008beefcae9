import type { JobOptions } from 'bull';

/** Every queue, its jobs and their retry options: the one place they are named. */
export const QUEUES = {
  payouts: 'payouts',
  notifications: 'notifications',
  statusSync: 'status-sync',
  reports: 'reports',
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);

export const JOBS = {
  submitPayout: 'submit-payout',
  sweepPayouts: 'sweep-payouts',
  sweepWebhooks: 'sweep-webhooks',
  relayOutbox: 'relay-outbox',
  checkStatus: 'check-status',
  trailingStatusCheck: 'trailing-status-check',
  scanUnfinished: 'scan-unfinished',
  dailyReport: 'daily-report',
  purgeIdempotencyKeys: 'purge-idempotency-keys',
} as const;

/**
 * Scheduled jobs keep their finished job for a while: a timer in another worker whose clock is a
 * little late adds the same deterministic id again, and Bull only refuses an id it still holds.
 */
const KEEP_SCHEDULED = { age: 24 * 3600 };

export const JOB_OPTIONS: Record<keyof typeof JOBS, JobOptions> = {
  submitPayout: { attempts: 8, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 1000, removeOnFail: false },
  sweepPayouts: { attempts: 1, removeOnComplete: KEEP_SCHEDULED, removeOnFail: KEEP_SCHEDULED },
  // Webhooks are sent from their lanes in MySQL (webhook_lanes), not from Bull jobs; the sweep only repairs lanes.
  // Every 5 s: an hour of finished sweeps covers any clock skew between workers, like the relay's ticks.
  sweepWebhooks: { attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } },
  relayOutbox: { attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } },
  // The status_checks row is the schedule; a finished job is removed so a later dispatch can always enqueue it again.
  checkStatus: { attempts: 1, removeOnComplete: true, removeOnFail: true },
  // A notification's check held back by its window, due at the window's end: ahead of the scheduled checks (after
  // the scan pass), since a provider just said something changed. Kept an hour so a late twin of the same window's
  // job is refused; a few tries for a provider or Redis blip.
  trailingStatusCheck: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 2000 },
    priority: 2,
    removeOnComplete: { age: 3600 },
    removeOnFail: { age: 24 * 3600 },
  },
  // Ahead of the queued checks (Bull takes a prioritised job first): the pass that enrols and dispatches never waits
  // behind the backlog it is there to drain.
  scanUnfinished: { attempts: 1, priority: 1, removeOnComplete: KEEP_SCHEDULED, removeOnFail: KEEP_SCHEDULED },
  dailyReport: { attempts: 3, backoff: { type: 'exponential', delay: 60000 }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
  purgeIdempotencyKeys: { attempts: 1, removeOnComplete: KEEP_SCHEDULED, removeOnFail: KEEP_SCHEDULED },
};
