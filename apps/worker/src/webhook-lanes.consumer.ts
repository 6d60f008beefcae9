import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { WebhookDeliveryService } from '@payhub/notifications';

/**
 * Every worker process claims and sends webhook lanes for as long as it runs, like a Bull consumer
 * pulls jobs: lanes in MySQL are the queue (leased rows), so N workers share them without a scheduler.
 */
@Injectable()
export class WebhookLanesConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(private readonly deliveries: WebhookDeliveryService) {}

  onApplicationBootstrap(): void {
    this.deliveries.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.deliveries.stop();
  }
}
