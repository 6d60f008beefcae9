import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffAuth } from '@payhub/backoffice';
import { DashboardQuery } from '@payhub/backoffice-operations';

@ApiTags('backoffice')
@ApiBearerAuth()
@Controller('backoffice/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardQuery) {}

  @Get()
  @StaffAuth('viewer')
  @ApiOperation({
    summary:
      'Last 24 h volume and count by provider, status and currency; success rate by provider and tx type; INCONSISTENT and conflict counts; oldest unfinished transaction; failed webhooks; payouts waiting for approval',
  })
  get() {
    return this.dashboard.get();
  }
}
