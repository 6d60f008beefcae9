import { Body, Controller, Get, Param, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentStaff, presentPendingChange, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { MerchantsService, PayoutAutoApprove } from '@payhub/merchants';
import { MakerCheckerUseCase } from '@payhub/backoffice-operations';
import { PayoutAutoApproveDto } from './operations.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@Controller('backoffice/merchants/:id/payout-auto-approve')
export class MerchantPayoutSettingsController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly makerChecker: MakerCheckerUseCase,
  ) {}

  @Get()
  @StaffAuth('viewer')
  @ApiOperation({ summary: "The merchant's payout auto-approve limits per currency (as confirmed)" })
  get(@Param('id') id: string): Promise<PayoutAutoApprove> {
    return this.merchants.payoutAutoApprove(id);
  }

  @Put()
  @StaffAuth('admin')
  @ApiOperation({
    summary:
      'Replace the payout auto-approve limits. Lowering applies at once (200); allowing more is proposed (202) and applies when a second admin confirms it',
  })
  @ApiResponse({ status: 202, description: 'A pending change: confirm it at POST /backoffice/pending-changes/{id}/confirm as another admin' })
  async put(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @Body() dto: PayoutAutoApproveDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const value: PayoutAutoApprove = { rules: dto.rules.map((r) => ({ currency: r.currency, below: r.below })) };
    const result = await this.makerChecker.setPayoutAutoApprove(staff, id, value, requestIdOf(req));
    if (result.applied) return result.value;
    void reply.status(202);
    return presentPendingChange(result.pending);
  }
}
