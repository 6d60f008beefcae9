import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditService, CurrentStaff, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { MerchantsService, presentMerchant } from '@payhub/merchants';
import { CreateApiKeyDto, CreateMerchantDto, PageQueryDto, RotateWebhookSecretDto, UpdateMerchantDto } from './backoffice.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@Controller('backoffice/merchants')
export class MerchantsController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @StaffAuth('viewer')
  async list(@Query() query: PageQueryDto) {
    const page = await this.merchants.list(Number(query.limit ?? 20), query.startingAfter);
    return { ...page, data: page.data.map(presentMerchant) };
  }

  @Post()
  @StaffAuth('admin')
  @ApiOperation({ summary: 'Create a merchant; the API key and webhook secret are shown once' })
  async create(@CurrentStaff() staff: StaffPrincipal, @Body() dto: CreateMerchantDto, @Req() req: FastifyRequest) {
    const created = await this.merchants.create({ name: dto.name, webhookUrl: dto.webhookUrl, createdBy: staff.id });
    await this.audit.record({
      actor: staff,
      action: 'merchant.create',
      targetType: 'merchant',
      targetId: created.merchant.id,
      after: presentMerchant(created.merchant),
      requestId: requestIdOf(req),
    });
    return { merchant: presentMerchant(created.merchant), apiKey: created.apiKey, webhookSecret: created.webhookSecret };
  }

  @Get(':id')
  @StaffAuth('viewer')
  @ApiOperation({ summary: 'One merchant: name, status, webhook URL and whether a replaced webhook secret still signs' })
  async get(@Param('id') id: string) {
    return presentMerchant(await this.merchants.get(id));
  }

  @Patch(':id')
  @StaffAuth('admin')
  @ApiOperation({ summary: "Rename a merchant, change its webhook URL, or disable/enable it (a disabled merchant's API keys stop working at once)" })
  async update(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() dto: UpdateMerchantDto, @Req() req: FastifyRequest) {
    const { before, after } = await this.merchants.update(id, { name: dto.name, status: dto.status, webhookUrl: dto.webhookUrl });
    await this.audit.record({
      actor: staff,
      action: 'merchant.update',
      targetType: 'merchant',
      targetId: id,
      before: presentMerchant(before),
      after: presentMerchant(after),
      requestId: requestIdOf(req),
    });
    return presentMerchant(after);
  }

  @Post(':id/webhook-secret/rotate')
  @HttpCode(200)
  @StaffAuth('admin')
  @ApiOperation({ summary: 'New webhook secret, shown once; the old one keeps signing beside it for the grace period (default 24 h)' })
  async rotateWebhookSecret(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() dto: RotateWebhookSecretDto, @Req() req: FastifyRequest) {
    const { merchant, webhookSecret } = await this.merchants.rotateWebhookSecret(id, dto.gracePeriodSeconds);
    const view = presentMerchant(merchant);
    await this.audit.record({
      actor: staff,
      action: 'merchant.webhook_secret.rotate',
      targetType: 'merchant',
      targetId: id,
      after: { previousWebhookSecretExpiresAt: view.previousWebhookSecretExpiresAt },
      requestId: requestIdOf(req),
    });
    return { merchant: view, webhookSecret };
  }

  @Get(':id/api-keys')
  @StaffAuth('viewer')
  @ApiOperation({ summary: "A merchant's API keys: prefix, label, created and revoked; never the key" })
  async apiKeys(@Param('id') id: string) {
    return { data: await this.merchants.listApiKeys(id), hasMore: false, nextCursor: null };
  }

  @Post(':id/api-keys/:keyId/revoke')
  @HttpCode(200)
  @StaffAuth('admin')
  @ApiOperation({ summary: 'Revoke an API key at once, in every payhub process' })
  async revokeApiKey(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Param('keyId') keyId: string, @Req() req: FastifyRequest) {
    const { before, after } = await this.merchants.revokeApiKey(id, keyId);
    await this.audit.record({
      actor: staff,
      action: 'merchant.api_key.revoke',
      targetType: 'merchant',
      targetId: id,
      before,
      after,
      requestId: requestIdOf(req),
    });
    return after;
  }

  @Post(':id/api-keys')
  @StaffAuth('admin')
  @ApiOperation({ summary: 'Issue another API key for a merchant; shown once' })
  async createApiKey(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() dto: CreateApiKeyDto, @Req() req: FastifyRequest) {
    const key = await this.merchants.createApiKey(id, dto.label, staff.id);
    await this.audit.record({
      actor: staff,
      action: 'merchant.api_key.create',
      targetType: 'merchant',
      targetId: id,
      after: { apiKeyId: key.id, prefix: key.prefix },
      requestId: requestIdOf(req),
    });
    return key;
  }
}
