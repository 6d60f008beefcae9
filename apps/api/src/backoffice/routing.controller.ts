import { Body, Controller, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentStaff, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { RoutingDraftExplainDto, RoutingRulesDto, RoutingSampleDto, ThreeDsSettingDto } from '@payhub/routing';
import { RoutingAdminUseCase } from '@payhub/backoffice-operations';

@ApiTags('backoffice')
@ApiBearerAuth()
@StaffAuth('admin')
@Controller('backoffice/merchants/:id')
export class RoutingController {
  constructor(private readonly routing: RoutingAdminUseCase) {}

  @Get('routing/rules')
  async rules(@Param('id') id: string) {
    return this.routing.rules(id);
  }

  @Put('routing/rules')
  @ApiOperation({ summary: 'Replace the ordered rule list' })
  async replaceRules(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() dto: RoutingRulesDto, @Req() req: FastifyRequest) {
    return this.routing.replaceRules(staff, id, dto, requestIdOf(req));
  }

  @Post('routing/explain')
  @HttpCode(200)
  @ApiOperation({ summary: 'Which rule routes a sample payment and why, with the 3DS decision; creates nothing' })
  async explain(@Param('id') id: string, @Body() dto: RoutingSampleDto) {
    return this.routing.explain(id, dto);
  }

  @Post('routing/explain-draft')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Explain a sample payment against rules given in the body (validated as PUT routing/rules would), before they are saved; stores nothing',
  })
  async explainDraft(@Param('id') id: string, @Body() dto: RoutingDraftExplainDto) {
    return this.routing.explainDraft(id, dto);
  }

  @Get('three-ds-routing')
  async threeDs(@Param('id') id: string) {
    return this.routing.threeDsSetting(id);
  }

  @Put('three-ds-routing')
  @ApiOperation({ summary: 'Set the merchant-level 3DS2 routing setting (accounts may override it)' })
  async setThreeDs(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() dto: ThreeDsSettingDto, @Req() req: FastifyRequest) {
    return this.routing.setThreeDsSetting(staff, id, dto, requestIdOf(req));
  }
}
