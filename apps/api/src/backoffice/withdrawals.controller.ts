import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentStaff, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { PayoutApprovalQueueQuery } from '@payhub/backoffice-operations';
import { PayoutDecisionUseCase } from '@payhub/payments';
import { presentTransactionForStaff, TransactionResponse } from '@payhub/transactions';
import { ApprovalQueueQueryDto, DeclineWithdrawalDto, ManualWithdrawalDto } from './operations.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@Controller('backoffice/withdrawals')
export class BackofficeWithdrawalsController {
  constructor(
    private readonly payouts: PayoutDecisionUseCase,
    private readonly queue: PayoutApprovalQueueQuery,
  ) {}

  @Get('approval-queue')
  @StaffAuth('viewer')
  @ApiOperation({
    summary: 'Withdrawals waiting for approval, oldest first; each says whether the reader may approve it (approver, not its creator or key minter)',
  })
  approvalQueue(@CurrentStaff() staff: StaffPrincipal, @Query() q: ApprovalQueueQueryDto) {
    return this.queue.list(staff, { merchantId: q.merchantId }, Number(q.limit ?? 50), q.startingAfter);
  }

  @Post()
  @StaffAuth('operator')
  @ApiOperation({ summary: "Create a withdrawal on a customer's behalf; it waits for another staff member's approval" })
  async create(@CurrentStaff() staff: StaffPrincipal, @Body() dto: ManualWithdrawalDto, @Req() req: FastifyRequest): Promise<TransactionResponse> {
    const { merchantId, ...withdrawal } = dto;
    return presentTransactionForStaff(await this.payouts.createOnBehalf({ staff, requestId: requestIdOf(req) }, merchantId, withdrawal));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @StaffAuth('approver')
  @ApiOperation({ summary: 'Approve a waiting withdrawal: submitted once through the payouts queue (never by its creator)' })
  async approve(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Req() req: FastifyRequest): Promise<TransactionResponse> {
    return presentTransactionForStaff(await this.payouts.approve({ staff, requestId: requestIdOf(req) }, id));
  }

  @Post(':id/decline')
  @HttpCode(200)
  @StaffAuth('approver')
  @ApiOperation({ summary: 'Decline a waiting withdrawal: CANCELLED with DECLINED_BY_STAFF, never submitted' })
  async decline(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @Body() dto: DeclineWithdrawalDto,
    @Req() req: FastifyRequest,
  ): Promise<TransactionResponse> {
    return presentTransactionForStaff(await this.payouts.decline({ staff, requestId: requestIdOf(req) }, id, dto.reason));
  }
}
