import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { WEBHOOK_DELIVERY_STATUSES, WebhookDeliveryStatus } from '@payhub/notifications';
import { PageQueryDto } from './backoffice.dto';

export class WebhookDeliveriesQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @Length(1, 32) merchantId?: string;
  @IsOptional() @IsIn(WEBHOOK_DELIVERY_STATUSES) status?: WebhookDeliveryStatus;
  @IsOptional() @IsString() @Length(1, 32) transactionId?: string;
}

export class ResendFailedWebhooksDto {
  @IsString() @Length(1, 32) @Matches(/^mer_[0-9A-Z]+$/, { message: 'must be a merchant id (mer_…)' }) merchantId: string;
}

export class WebhookEventsDto {
  @ApiProperty({ type: [String], description: 'the webhook event types the merchant receives; empty = none' })
  @IsArray()
  @ArrayMaxSize(50)
  events: string[];
}
