import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import type { Queue } from 'bull';
import { JOB_OPTIONS, JOBS, QUEUES } from '@payhub/common';

/** Timers only enqueue. The job id is the second, so N workers enqueue each relay tick once. */
@Injectable()
export class NotificationsScheduler {
  constructor(@InjectQueue(QUEUES.notifications) private readonly queue: Queue) {}

  @Cron('* * * * * *')
  async relayTick(now = new Date()): Promise<void> {
    const slot = Math.floor(now.getTime() / 1000);
    await this.queue.add(JOBS.relayOutbox, {}, { ...JOB_OPTIONS.relayOutbox, jobId: `${JOBS.relayOutbox}:${slot}` });
  }
}
