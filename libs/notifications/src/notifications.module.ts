import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxRelayService } from './outbox-relay.service';
import { WebhookAttemptEntity } from './webhook-attempt.entity';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookLaneEntity } from './webhook-lane.entity';
import { WebhookEventSelectionService } from './webhook-event-selection';
import { DEFAULT_WEBHOOK_OPTIONS, WEBHOOK_OPTIONS, WebhookOptions } from './webhook-options';

export const NOTIFICATION_ENTITIES = [WebhookDeliveryEntity, WebhookAttemptEntity, WebhookLaneEntity];

@Module({})
export class NotificationsModule {
  /** `options` let tests shorten the retry schedule; production runs on the defaults. */
  static forRoot(options: Partial<WebhookOptions> = {}): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [TypeOrmModule.forFeature(NOTIFICATION_ENTITIES)],
      providers: [
        { provide: WEBHOOK_OPTIONS, useValue: Object.freeze({ ...DEFAULT_WEBHOOK_OPTIONS, ...options }) },
        OutboxRelayService,
        WebhookDeliveryService,
        WebhookDeliveriesService,
        WebhookEventSelectionService,
      ],
      exports: [OutboxRelayService, WebhookDeliveryService, WebhookDeliveriesService, WebhookEventSelectionService],
    };
  }
}
