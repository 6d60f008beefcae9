import { Body, Controller, Get, Headers, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentStaff, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import type { ProviderConfigView } from '@payhub/provider-config';
import { ProviderConfigAdminUseCase } from './provider-config-admin.use-case';
import { ProviderConfigQueryDto, ProviderConfigVersionParamsDto } from './provider-config.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@StaffAuth('admin')
@Controller('backoffice/merchants/:id/providers/:provider/config')
export class ProviderConfigController {
  constructor(private readonly configs: ProviderConfigAdminUseCase) {}

  @Get()
  @ApiOperation({ summary: 'The config in force, secrets masked; ?format=xml exports the PaymentIQ XML form' })
  async get(
    @Param('id') id: string, @Param('provider') provider: string, @Query() query: ProviderConfigQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProviderConfigView | string> {
    if (query.format !== 'xml') return this.configs.get(id, provider);
    const xml = await this.configs.exportXml(id, provider);
    void reply.header('content-type', 'application/xml; charset=utf-8');
    return xml;
  }

  /** The body is validated against the provider's own schema, so it is taken as it came. */
  @Put()
  @ApiConsumes('application/json', 'application/xml', 'text/xml')
  @ApiOperation({ summary: 'Replace the config (JSON) or import PaymentIQ XML; a new version. A masked secret keeps the stored one' })
  async put(
    @CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Param('provider') provider: string,
    @Body() body: unknown, @Headers('content-type') contentType: string | undefined, @Req() req: FastifyRequest,
  ): Promise<ProviderConfigView> {
    return this.configs.put(staff, id, provider, body, contentType, requestIdOf(req));
  }

  @Get('versions')
  @ApiOperation({ summary: 'Every version, newest first, secrets masked' })
  async versions(@Param('id') id: string, @Param('provider') provider: string) {
    return this.configs.versions(id, provider);
  }

  @Post('versions/:version/restore')
  @ApiOperation({ summary: 'Restore an old version as a new version' })
  async restore(@CurrentStaff() staff: StaffPrincipal, @Param() params: ProviderConfigVersionParamsDto, @Req() req: FastifyRequest): Promise<ProviderConfigView> {
    return this.configs.restore(staff, params.id, params.provider, Number(params.version), requestIdOf(req));
  }
}
