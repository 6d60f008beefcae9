import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { DomainError, ErrorCode, JOBS, QUEUES } from '@payhub/common';
import type { SubmitPayoutJob } from './payout-queue';
import { PayoutSweepService } from './payout-sweep.service';
import { SubmitPayoutUseCase } from './submit-payout.use-case';

const HOPELESS = new Set<string>([ErrorCode.TRANSACTION_NOT_FOUND, ErrorCode.PROVIDER_NOT_FOUND, ErrorCode.PROVIDER_CONFIG_NOT_FOUND, ErrorCode.PROVIDER_ACCOUNT_NOT_FOUND]);

@Processor(QUEUES.payouts)
export class PayoutProcessor {
  private readonly logger = new Logger(PayoutProcessor.name);

  constructor(private readonly submit: SubmitPayoutUseCase, private readonly sweeper: PayoutSweepService) {}

  @Process(JOBS.sweepPayouts)
  async sweep(): Promise<{ enqueued: number }> {
    return { enqueued: (await this.sweeper.sweep()).length };
  }

  @Process(JOBS.submitPayout)
  async handle(job: Job<SubmitPayoutJob>): Promise<{ result: string }> {
    const txId = job.data?.txId;
    if (typeof txId !== 'string') {
      this.logger.error({ jobId: job.id }, 'payout job without a txId dropped');
      return { result: 'dropped' };
    }
    try {
      return { result: await this.submit.submit(txId) };
    } catch (error) {
      if (error instanceof DomainError && HOPELESS.has(error.code)) {
        this.logger.error({ txId, code: error.code }, 'payout job can never succeed; dropped');
        return { result: 'dropped' };
      }
      if ((error as { name?: string }).name === 'EntityNotFoundError') {
        this.logger.error({ txId }, 'payout job for an unknown transaction dropped');
        return { result: 'dropped' };
      }
      throw error;
    }
  }
}
