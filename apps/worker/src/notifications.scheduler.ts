import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import type { Queue } from 'bull';
import { JOB_OPTIONS, JOBS, QUEUES } from '@payhub/common';

/** Timers only enqueue. The job id is the time slot, so N workers enqueue each tick once. */
@Injectable()
export class NotificationsScheduler {
  constructor(@InjectQueue(QUEUES.notifications) private readonly queue: Queue) {}

  @Cron('* * * * * *')
  async relayTick(now = new Date()): Promise<void> {
    const slot = Math.floor(now.getTime() / 1000);
    await this.queue.add(JOBS.relayOutbox, {}, { ...JOB_OPTIONS.relayOutbox, jobId: `${JOBS.relayOutbox}:${slot}` });
  }

  /** Lanes for pending deliveries that have none: lost ones, and those a dead worker took from the relay (their lease ran out). */
  @Cron('*/5 * * * * *')
  async sweepTick(now = new Date()): Promise<void> {
    const slot = Math.floor(now.getTime() / 5000);
    await this.queue.add(JOBS.sweepWebhooks, {}, { ...JOB_OPTIONS.sweepWebhooks, jobId: `${JOBS.sweepWebhooks}:${slot}` });
  }
}
