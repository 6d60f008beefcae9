import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { JOBS, QUEUES } from '@payhub/common';
import { ReconciliationReportService } from '@payhub/reconciliation';

@Processor(QUEUES.reports)
export class ReportsProcessor {
  private readonly logger = new Logger(ReportsProcessor.name);

  constructor(private readonly reports: ReconciliationReportService) {}

  @Process(JOBS.dailyReport)
  async dailyReport(job: Job<{ date?: string }>) {
    this.logger.log({ jobId: job.id, job: job.name }, 'scheduled job ran');
    if (!job.data?.date || !/^\d{4}-\d{2}-\d{2}$/.test(job.data.date)) {
      this.logger.error({ jobId: job.id, data: job.data }, 'daily-report job without a valid date dropped');
      return { dropped: true };
    }
    return this.reports.runDaily(job.data.date);
  }
}
