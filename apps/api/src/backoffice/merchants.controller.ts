import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditService, CurrentStaff, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { MerchantsService, presentMerchant } from '@payhub/merchants';
import { CreateApiKeyDto, CreateMerchantDto, PageQueryDto } from './backoffice.dto';

@ApiTags('backoffice')
@ApiBearerAuth()
@Controller('backoffice/merchants')
export class MerchantsController {
  constructor(private readonly merchants: MerchantsService, private readonly audit: AuditService) {}

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
    const created = await this.merchants.create({ name: dto.name, webhookUrl: dto.webhookUrl });
    await this.audit.record({ actor: staff, action: 'merchant.create', targetType: 'merchant', targetId: created.merchant.id, after: presentMerchant(created.merchant), requestId: requestIdOf(req) });
    return { merchant: presentMerchant(created.merchant), apiKey: created.apiKey, webhookSecret: created.webhookSecret };
  }

  @Post(':id/api-keys')
  @StaffAuth('admin')
  @ApiOperation({ summary: 'Issue another API key for a merchant; shown once' })
  async createApiKey(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() dto: CreateApiKeyDto, @Req() req: FastifyRequest) {
    const key = await this.merchants.createApiKey(id, dto.label);
    await this.audit.record({ actor: staff, action: 'merchant.api_key.create', targetType: 'merchant', targetId: id, after: { apiKeyId: key.id, prefix: key.prefix }, requestId: requestIdOf(req) });
    return key;
  }
}
