import { Body, Controller, Get, Headers, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentStaff, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import type { ProviderConfigView } from '@payhub/provider-config';
import { ProviderConfigAdminUseCase, ProviderConfigChange } from '@payhub/backoffice-operations';
import { ProviderConfigDiffQueryDto, ProviderConfigQueryDto, ProviderConfigVersionParamsDto, ProviderParamsDto } from './provider-config.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@StaffAuth('admin')
@Controller('backoffice/merchants/:id/providers/:provider/config')
export class ProviderConfigController {
  constructor(private readonly configs: ProviderConfigAdminUseCase) {}

  @Get()
  @ApiOperation({ summary: 'The config in force, secrets masked; ?format=xml exports the PaymentIQ XML form' })
  async get(
    @Param('id') id: string,
    @Param('provider') provider: string,
    @Query() query: ProviderConfigQueryDto,
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
  @ApiOperation({
    summary:
      'Replace the config (JSON) or import PaymentIQ XML; a new version. A masked secret keeps the stored one unless a base URL changes host (400 naming the fields). Changing base URLs or credentials of an existing config is a pending change (202) for a second admin',
  })
  @ApiResponse({ status: 202, description: 'A pending change' })
  async put(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @Param('provider') provider: string,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(await this.configs.put(staff, id, provider, body, contentType, requestIdOf(req)), reply);
  }

  @Get('versions')
  @ApiOperation({ summary: 'Every version, newest first, secrets masked' })
  async versions(@Param('id') id: string, @Param('provider') provider: string) {
    return this.configs.versions(id, provider);
  }

  @Get('diff')
  @ApiOperation({ summary: 'What changed from one version to another, field by field; a secret shows as changed, masked' })
  async diff(@Param('id') id: string, @Param('provider') provider: string, @Query() query: ProviderConfigDiffQueryDto) {
    return this.configs.diff(id, provider, Number(query.from), Number(query.to));
  }

  @Post('versions/:version/restore')
  @ApiOperation({ summary: 'Restore an old version as a new version; other base URLs or credentials make it a pending change (202)' })
  @ApiResponse({ status: 202, description: 'A pending change' })
  async restore(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: ProviderConfigVersionParamsDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(await this.configs.restore(staff, params.id, params.provider, Number(params.version), requestIdOf(req)), reply);
  }
}

/** The config forms the adapters' descriptors describe: what a console generates its config screens from. */
@ApiTags('backoffice')
@ApiBearerAuth()
@StaffAuth('admin')
@Controller('backoffice/provider-config-forms')
export class ProviderConfigFormsController {
  constructor(private readonly configs: ProviderConfigAdminUseCase) {}

  @Get()
  @ApiOperation({ summary: "Every provider's config form: fields with types, required, secret, defaults; base URLs" })
  list() {
    return this.configs.forms();
  }

  @Get(':provider')
  @ApiOperation({ summary: "One provider's config form" })
  get(@Param() params: ProviderParamsDto) {
    return this.configs.form(params.provider);
  }
}

function answer(change: ProviderConfigChange, reply: FastifyReply) {
  if (change.applied) return change.view;
  void reply.status(202);
  return change.pending;
}
