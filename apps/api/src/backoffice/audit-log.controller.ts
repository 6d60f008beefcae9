import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService, presentAuditEntry, StaffAuth } from '@payhub/backoffice';
import { AuditLogQueryDto } from './operations.dto';

/** Read only by design: no route here, or anywhere, updates or deletes audit rows. */
@ApiTags('backoffice')
@ApiBearerAuth()
@Controller('backoffice/audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @StaffAuth('viewer')
  @ApiOperation({ summary: 'Search the append-only audit log of staff actions, newest first, cursor paginated' })
  async list(@Query() q: AuditLogQueryDto) {
    const page = await this.audit.list({
      actorId: q.actorId, targetType: q.targetType, targetId: q.targetId, action: q.action,
      from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined,
    }, Number(q.limit ?? 50), q.startingAfter);
    return { ...page, data: page.data.map(presentAuditEntry) };
  }
}
