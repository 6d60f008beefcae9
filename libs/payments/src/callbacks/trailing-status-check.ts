import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { APP_CONFIG, AppConfig, JOB_OPTIONS, JOBS, QUEUES, RateLimiter } from '@payhub/common';
import { TransactionQueryService } from '@payhub/transactions';
import { CheckStatusUseCase } from '../check-status.use-case';

export interface TrailingStatusCheckJob {
  transactionId: string;
  /** The end of the window that held the notifications back (ms since the epoch, Redis's clock). */
  windowEndsAt: number;
}

export type TrailingCheckResult = 'checked' | 'deferred' | 'superseded' | 'missing';

/** The coalescing key of a transaction's notification-prompted status checks. */
export const statusCheckWindowKey = (txId: string): string => `status-check:${txId}`;

/**
 * The look a status-check window held back. An untrusted notification (Kasha's) that arrives while its
 * transaction's window is open causes no check of its own, so the provider may have moved on after the
 * window's check saw the old status; one check at the window's end answers every notification it held back.
 * A delayed job on the status-sync queue (durable in Redis, run by whichever worker is up), one per
 * transaction and window: its id names both, so Bull keeps one however many notifications asked for it.
 */
@Injectable()
export class TrailingStatusChecks {
  constructor(
    @InjectQueue(QUEUES.statusSync) private readonly queue: Queue<TrailingStatusCheckJob>,
    private readonly limiter: RateLimiter,
    private readonly query: TransactionQueryService,
    private readonly statusChecks: CheckStatusUseCase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async schedule(txId: string, windowEndsAt: number): Promise<void> {
    await this.queue.add(
      JOBS.trailingStatusCheck,
      { transactionId: txId, windowEndsAt },
      {
        ...JOB_OPTIONS.trailingStatusCheck,
        jobId: `${JOBS.trailingStatusCheck}:${txId}:${windowEndsAt}`,
        delay: Math.max(0, windowEndsAt - Date.now()),
      },
    );
  }

  /**
   * Opens the next window (so notifications arriving now coalesce into this check) and checks; a notification
   * that opened a window since made its own check, after everything this one was for: nothing to do. A retry
   * (Bull running the job again after an attempt threw) checks without asking for the window: the window its
   * first attempt may have opened is its own and would read as a later caller's, and the check would be lost.
   */
  async run(job: TrailingStatusCheckJob, options: { retry?: boolean } = {}): Promise<TrailingCheckResult> {
    const tx = await this.query.find(job.transactionId);
    if (!tx) return 'missing';
    const windowMs = this.config.callbacks.statusCheckWindowMs;
    if (!options.retry && !(await this.limiter.openNextWindow(statusCheckWindowKey(tx.id), windowMs, job.windowEndsAt))) return 'superseded';
    // Deferred again (payhub's own request still open after a whole window): its answer settles the payment, and an
    // answer lost with its process is status sync's (stale REGISTERED); no further trailing check.
    const { deferred } = await this.statusChecks.check(
      tx.id,
      { reason: `trailing status check after the window ending ${new Date(job.windowEndsAt).toISOString()}` },
      { prompt: 'notification' },
    );
    return deferred ? 'deferred' : 'checked';
  }
}
