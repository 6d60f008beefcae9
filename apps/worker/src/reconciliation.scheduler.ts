import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import type { Queue } from 'bull';
import { JOB_OPTIONS, JOBS, QUEUES } from '@payhub/common';

/** Timers only enqueue, with the time slot as the job id, so N workers run each pass once. */
@Injectable()
export class ReconciliationScheduler {
  constructor(
    @InjectQueue(QUEUES.statusSync) private readonly statusSync: Queue,
    @InjectQueue(QUEUES.reports) private readonly reports: Queue,
  ) {}

  /** Every 5 s: enrolment lags the change by at most that, and each pass drains what is due. */
  @Cron('*/5 * * * * *')
  async scanUnfinished(now = new Date()): Promise<void> {
    const slot = Math.floor(now.getTime() / 5000);
    await this.statusSync.add(JOBS.scanUnfinished, {}, { ...JOB_OPTIONS.scanUnfinished, jobId: `${JOBS.scanUnfinished}:${slot}` });
  }

  /** After the day has closed at the providers too: reports yesterday (UTC). */
  @Cron('0 30 2 * * *', { timeZone: 'UTC' })
  async dailyReport(now = new Date()): Promise<void> {
    const date = new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await this.reports.add(JOBS.dailyReport, { date }, { ...JOB_OPTIONS.dailyReport, jobId: `${JOBS.dailyReport}:${date}` });
  }
}
