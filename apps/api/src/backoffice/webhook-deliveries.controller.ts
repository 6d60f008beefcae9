import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditService, CurrentStaff, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { MerchantsService } from '@payhub/merchants';
import { WebhookDeliveriesService } from '@payhub/notifications';
import { ResendFailedWebhooksDto, WebhookDeliveriesQueryDto } from './webhooks.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@StaffAuth('operator')
@Controller('backoffice/webhook-deliveries')
export class WebhookDeliveriesController {
  constructor(
    private readonly deliveries: WebhookDeliveriesService,
    private readonly merchants: MerchantsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Merchant webhook deliveries, newest first; filter by merchantId, status, transactionId' })
  list(@Query() query: WebhookDeliveriesQueryDto) {
    return this.deliveries.list(
      { merchantId: query.merchantId, status: query.status, transactionId: query.transactionId },
      Number(query.limit ?? 20),
      query.startingAfter,
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'One delivery with its body and every attempt' })
  get(@Param('id') id: string) {
    return this.deliveries.get(id);
  }

  @Post(':id/resend')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivered, failed or skipped webhook again, with a fresh retry schedule' })
  async resend(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Req() req: FastifyRequest) {
    const { before, after } = await this.deliveries.resend(id);
    await this.audit.record({
      actor: staff,
      action: 'webhook_delivery.resend',
      targetType: 'webhook_delivery',
      targetId: id,
      before,
      after,
      requestId: requestIdOf(req),
    });
    return after;
  }

  @Post('resend-failed')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send every failed webhook of a merchant again' })
  async resendFailed(@CurrentStaff() staff: StaffPrincipal, @Body() dto: ResendFailedWebhooksDto, @Req() req: FastifyRequest) {
    await this.merchants.get(dto.merchantId);
    const result = await this.deliveries.resendFailed(dto.merchantId);
    await this.audit.record({
      actor: staff,
      action: 'webhook_delivery.resend_failed',
      targetType: 'merchant',
      targetId: dto.merchantId,
      after: result,
      requestId: requestIdOf(req),
    });
    return result;
  }
}
