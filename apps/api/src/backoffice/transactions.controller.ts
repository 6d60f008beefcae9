import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentStaff, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { CsvExportsQuery, ForceStatusUseCase, StaffCheckStatusUseCase, TransactionDetailQuery, TransactionTimelineQuery } from '@payhub/backoffice-operations';
import { RefundUseCase } from '@payhub/payments';
import { Page, presentTransactionForStaff, TransactionFilter, TransactionQueryService, TransactionResponse } from '@payhub/transactions';
import { ForceStatusDto, ReversalDto, SearchTransactionsQueryDto, StaffRefundDto, TransactionFilterQueryDto } from './operations.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@Controller('backoffice/transactions')
export class BackofficeTransactionsController {
  constructor(
    private readonly transactions: TransactionQueryService,
    private readonly details: TransactionDetailQuery,
    private readonly refunds: RefundUseCase,
    private readonly forcing: ForceStatusUseCase,
    private readonly timelines: TransactionTimelineQuery,
    private readonly statusChecks: StaffCheckStatusUseCase,
    private readonly exports: CsvExportsQuery,
  ) {}

  @Get()
  @StaffAuth('viewer')
  @ApiOperation({ summary: 'Search transactions of every merchant, newest first, cursor paginated' })
  async search(@Query() q: SearchTransactionsQueryDto): Promise<Page<TransactionResponse & { merchantId: string; providerTxId: string | null }>> {
    const page = await this.transactions.list(filterOf(q), Number(q.limit ?? 20), q.startingAfter, 'replica');
    return { ...page, data: page.data.map((t) => ({ ...presentTransactionForStaff(t), providerTxId: t.providerTxId })) };
  }

  @Get('export.csv')
  @StaffAuth('viewer')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Every transaction matching the filters (same as the search), as CSV streamed page by page; amounts in minor units' })
  exportCsv(@Query() q: TransactionFilterQueryDto, @Res() reply: FastifyReply): void {
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="transactions.csv"')
      .send(this.exports.transactionsCsv(filterOf(q)));
  }

  @Get(':id')
  @StaffAuth('viewer')
  @ApiOperation({ summary: 'One transaction with its event timeline (redacted provider exchanges), refunds, callbacks, webhook attempts and conflict' })
  detail(@Param('id') id: string) {
    return this.details.get(id);
  }

  @Get(':id/timeline')
  @StaffAuth('viewer')
  @ApiOperation({
    summary:
      'One timeline, oldest first: status changes, provider exchanges (redacted), callbacks with their verification, webhook attempts, conflicts, staff actions',
  })
  timeline(@Param('id') id: string) {
    return this.timelines.get(id);
  }

  @Post(':id/check-status')
  @HttpCode(200)
  @StaffAuth('operator')
  @ApiOperation({ summary: 'Ask the provider now and apply its answer as a status check (audited)' })
  checkStatus(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Req() req: FastifyRequest) {
    return this.statusChecks.check({ staff, requestId: requestIdOf(req) }, id);
  }

  @Post(':id/refunds')
  @StaffAuth('operator')
  @ApiOperation({ summary: 'Refund a successful deposit, fully (no amount) or partially' })
  async refund(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @Body() dto: StaffRefundDto,
    @Req() req: FastifyRequest,
  ): Promise<TransactionResponse> {
    const amount = dto.amount === undefined ? undefined : BigInt(dto.amount);
    return presentTransactionForStaff(await this.refunds.refund({ staff, requestId: requestIdOf(req) }, id, { amount, reason: dto.reason ?? null }));
  }

  @Post(':id/reversal')
  @StaffAuth('operator')
  @ApiOperation({ summary: 'Reverse a successful deposit in full, where its provider supports reversals' })
  async reverse(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @Body() dto: ReversalDto,
    @Req() req: FastifyRequest,
  ): Promise<TransactionResponse> {
    return presentTransactionForStaff(await this.refunds.reverse({ staff, requestId: requestIdOf(req) }, id, dto.reason ?? null));
  }

  @Post(':id/force-status')
  @HttpCode(200)
  @StaffAuth('admin')
  @ApiOperation({ summary: 'Set the status of an INCONSISTENT or conflicting transaction (reason mandatory, audited)' })
  async forceStatus(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @Body() dto: ForceStatusDto,
    @Req() req: FastifyRequest,
  ): Promise<TransactionResponse> {
    return presentTransactionForStaff(await this.forcing.force({ staff, requestId: requestIdOf(req) }, id, dto.status, dto.reason));
  }
}

function filterOf(q: TransactionFilterQueryDto): TransactionFilter {
  return {
    q: q.q,
    id: q.id,
    merchantId: q.merchantId,
    providerTxId: q.providerTxId,
    currency: q.currency,
    status: q.status,
    txType: q.txType,
    provider: q.provider,
    merchantTxId: q.merchantTxId,
    userId: q.userId,
    createdFrom: q.createdFrom ? new Date(q.createdFrom) : undefined,
    createdTo: q.createdTo ? new Date(q.createdTo) : undefined,
    amountMin: q.amountMin !== undefined ? BigInt(q.amountMin) : undefined,
    amountMax: q.amountMax !== undefined ? BigInt(q.amountMax) : undefined,
    openConflict: q.conflict === 'open' ? true : undefined,
  };
}
