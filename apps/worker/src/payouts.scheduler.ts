import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { Queue } from 'bull';
import { JOB_OPTIONS, JOBS, QUEUES } from '@payhub/common';

/** Every minute, one sweep of approved payouts that never got their submission job (id per minute). */
@Injectable()
export class PayoutsScheduler {
  constructor(@InjectQueue(QUEUES.payouts) private readonly queue: Queue) {}

  @Cron(CronExpression.EVERY_MINUTE)
  async sweepPayouts(now = new Date()): Promise<void> {
    const slot = now.toISOString().slice(0, 16);
    await this.queue.add(JOBS.sweepPayouts, {}, { ...JOB_OPTIONS.sweepPayouts, jobId: `${JOBS.sweepPayouts}:${slot}` });
  }
}
