import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { JOBS, QUEUES } from '@payhub/common';
import { OutboxRelayService } from '@payhub/notifications';

@Processor(QUEUES.notifications)
export class NotificationsProcessor {
  private readonly logger = new Logger(NotificationsProcessor.name);

  constructor(private readonly relay: OutboxRelayService) {}

  @Process(JOBS.relayOutbox)
  async relayOutbox(job: Job): Promise<{ relayed: number }> {
    this.logger.debug({ jobId: job.id, job: job.name }, 'scheduled job ran');
    return { relayed: await this.relay.relay() };
  }

  @Process(JOBS.sweepWebhooks)
  async sweepWebhooks(job: Job): Promise<{ repaired: number }> {
    this.logger.debug({ jobId: job.id, job: job.name }, 'scheduled job ran');
    return { repaired: await this.relay.sweep() };
  }
}
