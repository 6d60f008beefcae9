const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

export interface ReconciliationOptions {
  /** Waits before the 1st, 2nd, … status check, from creation then from the last check; the last repeats. */
  checkDelaysMs: number[];
  /** Session lifetime of a provider that states none (WAITING_INPUT longer than this expires). */
  defaultSessionLifetimeMs: number;
  /** Per provider id; wins over the adapter's own `sessionLifetimeMs`. */
  sessionLifetimesMs: Record<string, number>;
  /** Stale REGISTERED transactions taken up per pass. */
  scanBatchSize: number;
  /** Outbox rows read per enrolment batch. */
  enrolBatchSize: number;
  /** Due checks leased and enqueued per dispatch batch; a pass runs batches until nothing is due or its budget is spent. */
  dispatchBatchSize: number;
  dispatchBudgetMs: number;
  /**
   * Checks of a provider without a batch status call that go in one job: the job claims, reads and
   * reschedules them together (a few statements instead of a few per check) and asks them one by one.
   */
  checkJobSize: number;
  /** How long a dispatched check may wait in the queue before it is dispatched again. */
  dispatchLeaseMs: number;
  /** Status calls one worker process makes to one provider at once (a check job's calls wait their turn). */
  providerConcurrency: number;
  /**
   * A deposit, refund or reversal still REGISTERED this long after creation lost the provider's answer (the process died, or the
   * write after the call failed): status sync takes it up. Far above any provider timeout, so a request still
   * waiting for its answer is never asked about.
   */
  staleRegisteredAfterMs: number;
}

export const DEFAULT_RECONCILIATION_OPTIONS: Readonly<ReconciliationOptions> = Object.freeze({
  checkDelaysMs: [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 6 * HOUR, 24 * HOUR],
  defaultSessionLifetimeMs: 24 * HOUR,
  sessionLifetimesMs: {},
  scanBatchSize: 500,
  enrolBatchSize: 5000,
  dispatchBatchSize: 1000,
  dispatchBudgetMs: 4000,
  checkJobSize: 50,
  dispatchLeaseMs: 10 * MINUTE,
  // Sized on bench:status-sync against the Interkassa simulator: 16 kept it busier than 8 (240 and 203 checks/s
  // against 179, 186 and 134 in runs back to back); 32 asked no more and slowed enrolment.
  providerConcurrency: 16,
  staleRegisteredAfterMs: 5 * MINUTE,
});

export const RECONCILIATION_OPTIONS = Symbol('RECONCILIATION_OPTIONS');

/** When the check after `checksDone` checks is due, never later than the session's expiry while that lies ahead. */
export function nextCheckAt(from: Date, checksDone: number, delays: readonly number[], expiresAt: Date | null): Date {
  const next = new Date(from.getTime() + delays[Math.min(checksDone, delays.length - 1)]);
  return expiresAt && expiresAt > from && expiresAt < next ? expiresAt : next;
}
