import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService, CurrentStaff, presentPendingChange, presentStaff, StaffAuth, StaffPrincipal, StaffService } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { CreateStaffDto, UpdateStaffDto } from './backoffice.dto';
import { Applied, MakerCheckerUseCase } from '@payhub/backoffice-operations';

@ApiTags('backoffice')
@ApiBearerAuth()
@StaffAuth('admin')
@Controller('backoffice/staff')
export class StaffController {
  constructor(
    private readonly staff: StaffService,
    private readonly makerChecker: MakerCheckerUseCase,
    private readonly audit: AuditService,
  ) {}

  @Get()
  async list() {
    return { data: (await this.staff.list()).map(presentStaff), hasMore: false, nextCursor: null };
  }

  @Post()
  @ApiOperation({ summary: 'Create a staff member: viewer/operator at once (201); with approver or admin a pending change (202) a second admin confirms' })
  @ApiResponse({ status: 202, description: 'A pending change' })
  async create(
    @CurrentStaff() actor: StaffPrincipal,
    @Body() dto: CreateStaffDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(await this.makerChecker.createStaff(actor, dto, requestIdOf(req)), reply);
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Change roles, status or password (ends the user's sessions). Granting approver or admin is a pending change (202), sent on its own",
  })
  @ApiResponse({ status: 202, description: 'A pending change' })
  async update(
    @CurrentStaff() actor: StaffPrincipal,
    @Param('id') id: string,
    @Body() dto: UpdateStaffDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(await this.makerChecker.updateStaff(actor, id, dto, requestIdOf(req)), reply, 200);
  }

  @Post(':id/unlock')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lift a failed-login lock and reset the count' })
  async unlock(@CurrentStaff() actor: StaffPrincipal, @Param('id') id: string, @Req() req: FastifyRequest) {
    const { before, after } = await this.staff.unlock(id);
    await this.audit.record({
      actor,
      action: 'staff.unlock',
      targetType: 'staff',
      targetId: id,
      before: { ...presentStaff(before), failedLogins: before.failedLogins },
      after: presentStaff(after),
      requestId: requestIdOf(req),
    });
    return presentStaff(after);
  }
}

function answer<T>(result: Applied<T>, reply: FastifyReply, appliedStatus = 201) {
  void reply.status(result.applied ? appliedStatus : 202);
  return result.applied ? result.value : presentPendingChange(result.pending);
}
