import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditService, presentAuditEntry, StaffAuth } from '@payhub/backoffice';
import { CsvExportsQuery } from '@payhub/backoffice-operations';
import { AuditLogFilterQueryDto, AuditLogQueryDto } from './operations.dto';

/** Read only by design: no route here, or anywhere, updates or deletes audit rows. */
@ApiTags('backoffice')
@ApiBearerAuth()
@Controller('backoffice/audit-log')
export class AuditLogController {
  constructor(
    private readonly audit: AuditService,
    private readonly exports: CsvExportsQuery,
  ) {}

  @Get()
  @StaffAuth('viewer')
  @ApiOperation({ summary: 'Search the append-only audit log of staff actions, newest first, cursor paginated' })
  async list(@Query() q: AuditLogQueryDto) {
    const page = await this.audit.list(filterOf(q), Number(q.limit ?? 50), q.startingAfter);
    return { ...page, data: page.data.map(presentAuditEntry) };
  }

  @Get('export.csv')
  @StaffAuth('viewer')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Every audit entry matching the filters, as CSV streamed page by page (before and after as JSON)' })
  exportCsv(@Query() q: AuditLogFilterQueryDto, @Res() reply: FastifyReply): void {
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="audit-log.csv"')
      .send(this.exports.auditCsv(filterOf(q)));
  }
}

function filterOf(q: AuditLogFilterQueryDto) {
  return {
    actorId: q.actorId,
    targetType: q.targetType,
    targetId: q.targetId,
    action: q.action,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
  };
}
