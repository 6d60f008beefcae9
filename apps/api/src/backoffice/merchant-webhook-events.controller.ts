import { Body, Controller, Get, Param, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditService, CurrentStaff, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { WebhookEventSelection, WebhookEventSelectionService } from '@payhub/notifications';
import { WebhookEventsDto } from './webhooks.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@Controller('backoffice/merchants/:id/webhook-events')
export class MerchantWebhookEventsController {
  constructor(
    private readonly selection: WebhookEventSelectionService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @StaffAuth('viewer')
  @ApiOperation({ summary: 'The webhook event types the merchant receives, and every type there is' })
  get(@Param('id') id: string): Promise<WebhookEventSelection> {
    return this.selection.get(id);
  }

  @Put()
  @StaffAuth('admin')
  @ApiOperation({ summary: 'Replace the webhook event types the merchant receives; events of other types are not enqueued from now on' })
  async put(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @Body() dto: WebhookEventsDto,
    @Req() req: FastifyRequest,
  ): Promise<WebhookEventSelection> {
    const { before, after } = await this.selection.replace(id, dto.events);
    await this.audit.record({
      actor: staff,
      action: 'merchant.webhook_events.update',
      targetType: 'merchant',
      targetId: id,
      before: { events: before.events },
      after: { events: after.events },
      requestId: requestIdOf(req),
    });
    return after;
  }
}
