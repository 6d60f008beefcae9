import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { DeadLetters, JOBS, QUEUES } from '@payhub/common';
import { CheckStatusJob, StatusSyncService } from '@payhub/reconciliation';

@Processor(QUEUES.statusSync)
export class StatusSyncProcessor {
  private readonly logger = new Logger(StatusSyncProcessor.name);

  constructor(
    private readonly sync: StatusSyncService,
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
}
