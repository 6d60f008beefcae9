import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { JOBS, QUEUES } from '@payhub/common';
import { CheckStatusJob, StatusSyncService } from '@payhub/reconciliation';

@Processor(QUEUES.statusSync)
export class StatusSyncProcessor {
  private readonly logger = new Logger(StatusSyncProcessor.name);

  constructor(private readonly sync: StatusSyncService) {}

  @Process(JOBS.scanUnfinished)
  async scanUnfinished(job: Job) {
    this.logger.log({ jobId: job.id, job: job.name }, 'scheduled job ran');
    return this.sync.scan();
  }

  @Process({ name: JOBS.checkStatus, concurrency: 4 })
  async checkStatus(job: Job<CheckStatusJob>): Promise<{ result: string }> {
    const data = job.data as { transactionId?: unknown; step?: unknown; batch?: unknown } | undefined;
    const valid = !!data && (Array.isArray(data.batch) || (typeof data.transactionId === 'string' && typeof data.step === 'number'));
    if (!valid) {
      this.logger.error({ jobId: job.id }, 'check-status job without transactionId/step dropped');
      return { result: 'dropped' };
    }
    return { result: await this.sync.runCheck(job.data) };
  }
}
