import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentStaff, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { ForceStatusUseCase, RefundUseCase, TransactionDetailQuery } from '@payhub/payments';
import { Page, presentTransactionForStaff, TransactionQueryService, TransactionResponse } from '@payhub/transactions';
import { ForceStatusDto, ReversalDto, SearchTransactionsQueryDto, StaffRefundDto } from './operations.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@Controller('backoffice/transactions')
export class BackofficeTransactionsController {
  constructor(
    private readonly transactions: TransactionQueryService,
    private readonly details: TransactionDetailQuery,
    private readonly refunds: RefundUseCase,
    private readonly forcing: ForceStatusUseCase,
  ) {}

  @Get()
  @StaffAuth('viewer')
  @ApiOperation({ summary: 'Search transactions of every merchant, newest first, cursor paginated' })
  async search(@Query() q: SearchTransactionsQueryDto): Promise<Page<TransactionResponse & { merchantId: string }>> {
    const page = await this.transactions.list({
      merchantId: q.merchantId, status: q.status, txType: q.txType, provider: q.provider, merchantTxId: q.merchantTxId, userId: q.userId,
      createdFrom: q.createdFrom ? new Date(q.createdFrom) : undefined, createdTo: q.createdTo ? new Date(q.createdTo) : undefined,
      amountMin: q.amountMin !== undefined ? BigInt(q.amountMin) : undefined, amountMax: q.amountMax !== undefined ? BigInt(q.amountMax) : undefined,
    }, Number(q.limit ?? 20), q.startingAfter, 'replica');
    return { ...page, data: page.data.map(presentTransactionForStaff) };
  }

  @Get(':id')
  @StaffAuth('viewer')
  @ApiOperation({ summary: 'One transaction with its event timeline (redacted provider exchanges), refunds, callbacks, webhook attempts and conflict' })
  detail(@Param('id') id: string) {
    return this.details.get(id);
  }

  @Post(':id/refunds')
  @StaffAuth('operator')
  @ApiOperation({ summary: 'Refund a successful deposit, fully (no amount) or partially' })
  async refund(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() dto: StaffRefundDto, @Req() req: FastifyRequest): Promise<TransactionResponse> {
    const amount = dto.amount === undefined ? undefined : BigInt(dto.amount);
    return presentTransactionForStaff(await this.refunds.refund({ staff, requestId: requestIdOf(req) }, id, { amount, reason: dto.reason ?? null }));
  }

  @Post(':id/reversal')
  @StaffAuth('operator')
  @ApiOperation({ summary: 'Reverse a successful deposit in full, where its provider supports reversals' })
  async reverse(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() dto: ReversalDto, @Req() req: FastifyRequest): Promise<TransactionResponse> {
    return presentTransactionForStaff(await this.refunds.reverse({ staff, requestId: requestIdOf(req) }, id, dto.reason ?? null));
  }

  @Post(':id/force-status')
  @HttpCode(200)
  @StaffAuth('admin')
  @ApiOperation({ summary: 'Set the status of an INCONSISTENT or conflicting transaction (reason mandatory, audited)' })
  async forceStatus(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() dto: ForceStatusDto, @Req() req: FastifyRequest): Promise<TransactionResponse> {
    return presentTransactionForStaff(await this.forcing.force({ staff, requestId: requestIdOf(req) }, id, dto.status, dto.reason));
  }
}
