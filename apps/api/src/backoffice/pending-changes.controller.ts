import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentStaff, PendingChangesService, presentPendingChange, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { PendingChangesQueryDto, RejectChangeDto } from './backoffice.dto';
import { MakerCheckerUseCase } from '@payhub/backoffice-operations';

@ApiTags('backoffice')
@ApiBearerAuth()
@StaffAuth('admin')
@Controller('backoffice/pending-changes')
export class PendingChangesController {
  constructor(
    private readonly changes: PendingChangesService,
    private readonly makerChecker: MakerCheckerUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Maker-checker proposals, newest first; ?status=pending for those waiting (they lapse after 24 h)' })
  async list(@Query() query: PendingChangesQueryDto) {
    const page = await this.changes.list(query.status, Number(query.limit ?? 20), query.startingAfter);
    return { ...page, data: page.data.map(presentPendingChange) };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return presentPendingChange(await this.changes.get(id));
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm and apply a proposal: an admin other than its proposer; 409 when it lapsed or what it replaces changed' })
  async confirm(@CurrentStaff() actor: StaffPrincipal, @Param('id') id: string, @Req() req: FastifyRequest) {
    return presentPendingChange(await this.makerChecker.confirm(actor, id, requestIdOf(req)));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a proposal (its proposer may withdraw it this way)' })
  async reject(@CurrentStaff() actor: StaffPrincipal, @Param('id') id: string, @Body() dto: RejectChangeDto, @Req() req: FastifyRequest) {
    return presentPendingChange(await this.changes.reject(actor, id, dto.reason ?? null, requestIdOf(req)));
  }
}
