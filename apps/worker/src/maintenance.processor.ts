import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { JOBS, QUEUES } from '@payhub/common';
import { IdempotencyService } from '@payhub/transactions';

@Processor(QUEUES.maintenance)
export class MaintenanceProcessor {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(private readonly idempotency: IdempotencyService) {}

  @Process(JOBS.purgeIdempotencyKeys)
  async purgeIdempotencyKeys(): Promise<{ purged: number }> {
    const purged = await this.idempotency.purgeExpired();
    if (purged) this.logger.log({ purged }, 'expired idempotency keys purged');
    return { purged };
  }
}
