import type { JobOptions } from 'bull';

/** Every queue, its jobs and their retry options: the one place they are named. */
export const QUEUES = {
  callbacks: 'callbacks',
  payouts: 'payouts',
  notifications: 'notifications',
  statusSync: 'status-sync',
  reports: 'reports',
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);

export const JOBS = {
  applyCallback: 'apply-callback',
  submitPayout: 'submit-payout',
  deliverWebhook: 'deliver-webhook',
  relayOutbox: 'relay-outbox',
  checkStatus: 'check-status',
  scanUnfinished: 'scan-unfinished',
  dailyReport: 'daily-report',
  purgeIdempotencyKeys: 'purge-idempotency-keys',
} as const;

export const JOB_OPTIONS: Record<keyof typeof JOBS, JobOptions> = {
  applyCallback: { attempts: 10, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: false },
  submitPayout: { attempts: 8, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 1000, removeOnFail: false },
  deliverWebhook: { attempts: 1, removeOnComplete: 1000, removeOnFail: 1000 },
  relayOutbox: { attempts: 1, removeOnComplete: true, removeOnFail: true },
  checkStatus: { attempts: 3, backoff: { type: 'exponential', delay: 10000 }, removeOnComplete: 1000, removeOnFail: 1000 },
  scanUnfinished: { attempts: 1, removeOnComplete: true, removeOnFail: 100 },
  dailyReport: { attempts: 3, backoff: { type: 'exponential', delay: 60000 }, removeOnComplete: 100, removeOnFail: 100 },
  purgeIdempotencyKeys: { attempts: 1, removeOnComplete: true, removeOnFail: 100 },
};
