import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { Queue } from 'bull';
import { JOB_OPTIONS, JOBS, QUEUES } from '@payhub/common';

/** Timers only enqueue. The job id is the time slot, so N workers enqueue each run once. */
@Injectable()
export class MaintenanceScheduler {
  constructor(@InjectQueue(QUEUES.maintenance) private readonly queue: Queue) {}

  @Cron(CronExpression.EVERY_HOUR)
  async purgeIdempotencyKeys(now = new Date()): Promise<void> {
    const slot = now.toISOString().slice(0, 13);
    await this.queue.add(JOBS.purgeIdempotencyKeys, {}, { ...JOB_OPTIONS.purgeIdempotencyKeys, jobId: `${JOBS.purgeIdempotencyKeys}:${slot}` });
  }
}
