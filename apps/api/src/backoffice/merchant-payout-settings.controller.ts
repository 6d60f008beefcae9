import { Body, Controller, Get, Param, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditService, CurrentStaff, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { MerchantsService, PAYOUT_AUTO_APPROVE_KEY, PayoutAutoApprove } from '@payhub/merchants';
import { PayoutAutoApproveDto } from './operations.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@Controller('backoffice/merchants/:id/payout-auto-approve')
export class MerchantPayoutSettingsController {
  constructor(private readonly merchants: MerchantsService, private readonly audit: AuditService) {}

  @Get()
  @StaffAuth('viewer')
  @ApiOperation({ summary: 'The merchant\'s payout auto-approve limits per currency' })
  get(@Param('id') id: string): Promise<PayoutAutoApprove> {
    return this.merchants.payoutAutoApprove(id);
  }

  @Put()
  @StaffAuth('admin')
  @ApiOperation({ summary: 'Replace the payout auto-approve limits (merchant API payouts only; staff-created payouts always wait)' })
  async put(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() dto: PayoutAutoApproveDto, @Req() req: FastifyRequest): Promise<PayoutAutoApprove> {
    const value: PayoutAutoApprove = { rules: dto.rules.map((r) => ({ currency: r.currency, below: r.below })) };
    const { before, after } = await this.merchants.updateSetting(id, PAYOUT_AUTO_APPROVE_KEY, value);
    await this.audit.record({ actor: staff, action: 'merchant.payout_auto_approve.update', targetType: 'merchant', targetId: id, before, after, requestId: requestIdOf(req) });
    return after;
  }
}
