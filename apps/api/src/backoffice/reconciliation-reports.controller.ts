import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffAuth } from '@payhub/backoffice';
import { ReconciliationReportService } from '@payhub/reconciliation';
import { ReconciliationReportsQueryDto } from './reconciliation.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@Controller('backoffice/reconciliation/reports')
export class ReconciliationReportsController {
  constructor(private readonly reports: ReconciliationReportService) {}

  @Get()
  @StaffAuth('viewer')
  @ApiOperation({ summary: 'Daily reconciliation reports, newest first; status=mismatch lists the flagged ones' })
  list(@Query() query: ReconciliationReportsQueryDto) {
    return this.reports.list(
      { merchantId: query.merchantId, provider: query.provider, status: query.status, date: query.date },
      Number(query.limit ?? 20),
      query.startingAfter,
    );
  }
}
