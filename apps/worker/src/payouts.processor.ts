import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { DeadLetters, DomainError, ErrorCode, JOBS, QUEUES } from '@payhub/common';
import { PayoutSweepService, SubmitPayoutJob, SubmitPayoutUseCase } from '@payhub/payments';

const HOPELESS = new Set<string>([ErrorCode.PROVIDER_NOT_FOUND, ErrorCode.PROVIDER_CONFIG_NOT_FOUND, ErrorCode.PROVIDER_ACCOUNT_NOT_FOUND]);

@Processor(QUEUES.payouts)
export class PayoutsProcessor {
  private readonly logger = new Logger(PayoutsProcessor.name);

  constructor(
    private readonly submit: SubmitPayoutUseCase,
    private readonly sweeper: PayoutSweepService,
    private readonly deadLetters: DeadLetters,
  ) {}

  @Process(JOBS.sweepPayouts)
  async sweep(): Promise<{ enqueued: number }> {
    return { enqueued: (await this.sweeper.sweep()).length };
  }

  @Process(JOBS.submitPayout)
  async handle(job: Job<SubmitPayoutJob>): Promise<{ result: string }> {
    const txId = job.data?.txId;
    if (typeof txId !== 'string') {
      await this.deadLetters.keep(QUEUES.payouts, job, 'payout job without a txId');
      return { result: 'dead_letter' };
    }
    try {
      return { result: await this.submit.submit(txId) };
    } catch (error) {
      // Most likely another deployment's job on a shared Redis: kept, so the payout is never lost.
      if ((error instanceof DomainError && error.code === ErrorCode.TRANSACTION_NOT_FOUND) || (error as { name?: string }).name === 'EntityNotFoundError') {
        await this.deadLetters.keep(QUEUES.payouts, job, `transaction ${txId} does not exist in this database`);
        return { result: 'dead_letter' };
      }
      if (error instanceof DomainError && HOPELESS.has(error.code)) {
        this.logger.error({ txId, code: error.code }, 'payout job can never succeed; dropped');
        return { result: 'dropped' };
      }
      throw error;
    }
  }
}
