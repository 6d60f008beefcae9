import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { JOBS, QUEUES } from '@payhub/common';
import { DeliverWebhookJob, OutboxRelayService, WebhookDeliveryService } from '@payhub/notifications';

@Processor(QUEUES.notifications)
export class NotificationsProcessor {
  private readonly logger = new Logger(NotificationsProcessor.name);

  constructor(private readonly relay: OutboxRelayService, private readonly deliveries: WebhookDeliveryService) {}

  @Process(JOBS.relayOutbox)
  async relayOutbox(job: Job): Promise<{ relayed: number; swept: number }> {
    this.logger.debug({ jobId: job.id, job: job.name }, 'scheduled job ran');
    const relayed = await this.relay.relay();
    const swept = await this.relay.sweep();
    return { relayed, swept };
  }

  @Process({ name: JOBS.deliverWebhook, concurrency: 8 })
  async deliverWebhook(job: Job<DeliverWebhookJob>): Promise<{ lane: string }> {
    if (!job.data?.transactionId) {
      this.logger.error({ jobId: job.id }, 'deliver-webhook job without a transactionId dropped');
      return { lane: 'dropped' };
    }
    return { lane: await this.deliveries.processLane(job.data.transactionId) };
  }
}
