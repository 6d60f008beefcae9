import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { JOB_OPTIONS, JOBS, QUEUES } from '@payhub/common';

export interface SubmitPayoutJob {
  txId: string;
}

/**
 * Hands an approved withdrawal to the payouts queue. The job id is the transaction id: while Bull
 * still holds the job, adding it again is a no-op; after that the processor's own guard (status
 * REGISTERED and no submission started) keeps a repeat from reaching the provider twice.
 */
@Injectable()
export class PayoutQueue {
  constructor(@InjectQueue(QUEUES.payouts) private readonly queue: Queue<SubmitPayoutJob>) {}

  async enqueue(txId: string): Promise<void> {
    await this.queue.add(JOBS.submitPayout, { txId }, { ...JOB_OPTIONS.submitPayout, jobId: txId });
  }
}
