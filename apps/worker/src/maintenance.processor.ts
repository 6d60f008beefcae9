import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { JOBS, QUEUES } from '@payhub/common';
import { IdempotencyService } from '@payhub/transactions';

@Processor(QUEUES.maintenance)
export class MaintenanceProcessor {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(private readonly idempotency: IdempotencyService) {}

  @Process(JOBS.purgeIdempotencyKeys)
  async purgeIdempotencyKeys(job: Job): Promise<{ purged: number }> {
    this.logger.log({ jobId: job.id, job: job.name }, 'scheduled job ran');
    const purged = await this.idempotency.purgeExpired();
    if (purged) this.logger.log({ purged }, 'expired idempotency keys purged');
    return { purged };
  }
}
