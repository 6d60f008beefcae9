import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { DeadLetters, DomainError, ErrorCode, JOBS, QUEUES } from '@payhub/common';
import { TrailingStatusCheckJob, TrailingStatusChecks } from '@payhub/payments';
import { CheckStatusJob, StatusSyncService } from '@payhub/reconciliation';

/** A trailing check that can never run: the transaction's provider or its config is gone. */
const HOPELESS = new Set<string>([ErrorCode.PROVIDER_NOT_FOUND, ErrorCode.PROVIDER_CONFIG_NOT_FOUND, ErrorCode.PROVIDER_ACCOUNT_NOT_FOUND]);

@Processor(QUEUES.statusSync)
export class StatusSyncProcessor {
  private readonly logger = new Logger(StatusSyncProcessor.name);

  constructor(
    private readonly sync: StatusSyncService,
    private readonly trailing: TrailingStatusChecks,
    private readonly deadLetters: DeadLetters,
  ) {}

  @Process(JOBS.scanUnfinished)
  async scanUnfinished(job: Job) {
    this.logger.log({ jobId: job.id, job: job.name }, 'scheduled job ran');
    return this.sync.scan();
  }

  // Calls per provider are bounded inside (reconciliation's providerConcurrency); this only bounds the jobs held at once.
  @Process({ name: JOBS.checkStatus, concurrency: 32 })
  async checkStatus(job: Job<CheckStatusJob>): Promise<{ result: string }> {
    const data = job.data as { transactionId?: unknown; step?: unknown; batch?: unknown; checks?: unknown } | undefined;
    const valid =
      !!data && (Array.isArray(data.batch) || Array.isArray(data.checks) || (typeof data.transactionId === 'string' && typeof data.step === 'number'));
    if (!valid) {
      await this.deadLetters.keep(QUEUES.statusSync, job, 'check-status job without transactionId/step');
      return { result: 'dead_letter' };
    }
    const result = await this.sync.runCheck(job.data);
    if (result === 'missing') await this.deadLetters.keep(QUEUES.statusSync, job, 'a transaction of this check does not exist in this database');
    return { result };
  }

  @Process({ name: JOBS.trailingStatusCheck, concurrency: 8 })
  async trailingStatusCheck(job: Job<TrailingStatusCheckJob>): Promise<{ result: string }> {
    const data = job.data as { transactionId?: unknown; windowEndsAt?: unknown } | undefined;
    if (!data || typeof data.transactionId !== 'string' || typeof data.windowEndsAt !== 'number' || !Number.isFinite(data.windowEndsAt)) {
      await this.deadLetters.keep(QUEUES.statusSync, job, 'trailing-status-check job without transactionId/windowEndsAt');
      return { result: 'dead_letter' };
    }
    try {
      const result = await this.trailing.run(job.data, { retry: job.attemptsMade > 0 });
      if (result === 'missing') await this.deadLetters.keep(QUEUES.statusSync, job, `transaction ${data.transactionId} does not exist in this database`);
      return { result };
    } catch (error) {
      if (error instanceof DomainError && HOPELESS.has(error.code)) {
        this.logger.error({ txId: data.transactionId, code: error.code }, 'trailing status check can never run; dropped');
        return { result: 'dropped' };
      }
      throw error;
    }
  }
}
