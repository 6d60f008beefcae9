import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, StaffPrincipal } from '@payhub/backoffice';
import { DomainError } from '@payhub/common';
import { MerchantsService } from '@payhub/merchants';
import { ProviderConfigService, ProviderConfigView } from '@payhub/provider-config';
import { inTransaction } from '@payhub/database';

const XML_TYPES = ['application/xml', 'text/xml'];

export function isXmlContentType(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  return type !== undefined && XML_TYPES.includes(type);
}

/**
 * Back-office changes of a merchant's provider config. Each change and its audit row share one DB
 * transaction; both carry the masked view only, so no secret reaches a response or the audit log.
 */
@Injectable()
export class ProviderConfigAdminUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly merchants: MerchantsService,
    private readonly configs: ProviderConfigService,
    private readonly audit: AuditService,
  ) {}

  async get(merchantId: string, provider: string): Promise<ProviderConfigView> {
    await this.merchants.get(merchantId);
    return this.configs.get(merchantId, provider);
  }

  async exportXml(merchantId: string, provider: string): Promise<string> {
    await this.merchants.get(merchantId);
    return this.configs.exportXml(merchantId, provider);
  }

  async versions(merchantId: string, provider: string): Promise<{ data: ProviderConfigView[]; hasMore: false; nextCursor: null }> {
    await this.merchants.get(merchantId);
    return { data: await this.configs.versions(merchantId, provider), hasMore: false, nextCursor: null };
  }

  /** JSON replaces the config; PaymentIQ XML (`application/xml`, `text/xml`) is imported. A masked secret keeps the stored one. */
  async put(actor: StaffPrincipal, merchantId: string, provider: string, body: unknown, contentType: string | undefined, requestId: string | null): Promise<ProviderConfigView> {
    await this.merchants.get(merchantId);
    const xml = isXmlContentType(contentType);
    if (xml && (typeof body !== 'string' || body.trim() === '')) {
      throw DomainError.validation([{ field: 'xml', issue: 'the body must be a PaymentIQ config document' }], 'The provider config is invalid');
    }
    return inTransaction(this.dataSource, async (manager) => {
      const before = await this.configs.find(merchantId, provider, manager);
      const after = xml
        ? await this.configs.importXml(merchantId, provider, body as string, actor.email, manager)
        : await this.configs.put(merchantId, provider, body, actor.email, null, manager);
      await this.audit.record({
        actor, action: xml ? 'provider_config.import_xml' : 'provider_config.update', targetType: 'merchant', targetId: merchantId,
        before, after, requestId,
      }, manager);
      return after;
    });
  }

  async restore(actor: StaffPrincipal, merchantId: string, provider: string, version: number, requestId: string | null): Promise<ProviderConfigView> {
    await this.merchants.get(merchantId);
    return inTransaction(this.dataSource, async (manager) => {
      const before = await this.configs.find(merchantId, provider, manager);
      const after = await this.configs.restore(merchantId, provider, version, actor.email, manager);
      await this.audit.record({
        actor, action: 'provider_config.restore', targetType: 'merchant', targetId: merchantId, before, after, reason: `restored version ${version}`, requestId,
      }, manager);
      return after;
    });
  }
}
