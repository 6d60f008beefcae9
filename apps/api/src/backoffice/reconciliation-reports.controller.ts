import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditService, CurrentStaff, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { ReconciliationAdminService, ReconciliationReportService } from '@payhub/reconciliation';
import { ReconciliationReportsQueryDto, RunReconciliationReportDto } from './reconciliation.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@Controller('backoffice/reconciliation')
export class ReconciliationReportsController {
  constructor(
    private readonly reports: ReconciliationReportService,
    private readonly admin: ReconciliationAdminService,
    private readonly audit: AuditService,
  ) {}

  @Get('reports')
  @StaffAuth('viewer')
  @ApiOperation({ summary: 'Daily reconciliation reports, newest first; status=mismatch lists the flagged ones' })
  list(@Query() query: ReconciliationReportsQueryDto) {
    return this.reports.list(
      { merchantId: query.merchantId, provider: query.provider, status: query.status, date: query.date },
      Number(query.limit ?? 20),
      query.startingAfter,
    );
  }

  @Post('reports/runs')
  @HttpCode(202)
  @StaffAuth('operator')
  @ApiOperation({
    summary:
      "Enqueue the report of one UTC day now (the worker runs it as the 02:30 timer would; the day's rows are replaced); not after today, at most 366 days back; audited",
  })
  async run(@CurrentStaff() staff: StaffPrincipal, @Body() dto: RunReconciliationReportDto, @Req() req: FastifyRequest) {
    const queued = await this.admin.runReport(dto.date);
    await this.audit.record({
      actor: staff,
      action: 'reconciliation_report.run',
      targetType: 'reconciliation_day',
      targetId: dto.date,
      after: queued,
      requestId: requestIdOf(req),
    });
    return queued;
  }

  @Get('status-sync')
  @StaffAuth('viewer')
  @ApiOperation({ summary: 'The status-sync backlog: scheduled checks, how many are due now and how long the oldest due one has waited' })
  statusSync() {
    return this.admin.statusSyncBacklog();
  }
}
