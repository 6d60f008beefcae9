import { Body, Controller, Get, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditService, CurrentStaff, presentStaff, StaffAuth, StaffPrincipal, StaffService } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { CreateStaffDto, UpdateStaffDto } from './backoffice.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@StaffAuth('admin')
@Controller('backoffice/staff')
export class StaffController {
  constructor(private readonly staff: StaffService, private readonly audit: AuditService) {}

  @Get()
  async list() {
    return { data: (await this.staff.list()).map(presentStaff), hasMore: false, nextCursor: null };
  }

  @Post()
  async create(@CurrentStaff() actor: StaffPrincipal, @Body() dto: CreateStaffDto, @Req() req: FastifyRequest) {
    const created = presentStaff(await this.staff.create(dto));
    await this.audit.record({ actor, action: 'staff.create', targetType: 'staff', targetId: created.id, after: created, requestId: requestIdOf(req) });
    return created;
  }

  @Patch(':id')
  async update(@CurrentStaff() actor: StaffPrincipal, @Param('id') id: string, @Body() dto: UpdateStaffDto, @Req() req: FastifyRequest) {
    const before = presentStaff(await this.staff.get(id));
    const after = presentStaff(await this.staff.update(id, dto));
    await this.audit.record({ actor, action: 'staff.update', targetType: 'staff', targetId: id, before, after: { ...after, passwordChanged: Boolean(dto.password) }, requestId: requestIdOf(req) });
    return after;
  }
}
