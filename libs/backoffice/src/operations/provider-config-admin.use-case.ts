import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { presentPendingChange, StaffPrincipal } from '..';
import { DomainError } from '@payhub/common';
import { MerchantsService } from '@payhub/merchants';
import {
  configuredProviders,
  describeConfigForm,
  descriptorFor,
  PreparedProviderConfig,
  ProviderConfigDiff,
  ProviderConfigForm,
  ProviderConfigService,
  ProviderConfigView,
} from '@payhub/provider-config';
import { inTransaction } from '@payhub/database';
import { MakerCheckerUseCase } from './maker-checker.use-case';

/** The config as stored now, or the change waiting for a second admin (base URLs or credentials of an existing config). */
export type ProviderConfigChange = { applied: true; view: ProviderConfigView } | { applied: false; pending: ReturnType<typeof presentPendingChange> };

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
    private readonly makerChecker: MakerCheckerUseCase,
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

  async diff(merchantId: string, provider: string, from: number, to: number): Promise<ProviderConfigDiff> {
    await this.merchants.get(merchantId);
    return this.configs.diff(merchantId, provider, from, to);
  }

  /** The form of every provider with a config schema, for a console to generate its config screens. */
  forms(): { data: ProviderConfigForm[]; hasMore: false; nextCursor: null } {
    const data = configuredProviders()
      .sort()
      .map((provider) => describeConfigForm(descriptorFor(provider)));
    return { data, hasMore: false, nextCursor: null };
  }

  form(provider: string): ProviderConfigForm {
    return describeConfigForm(descriptorFor(provider));
  }

  /**
   * JSON replaces the config; PaymentIQ XML (`application/xml`, `text/xml`) is imported. A masked secret
   * keeps the stored one, unless a base URL moves to another host (then every secret is sent again).
   */
  async put(
    actor: StaffPrincipal,
    merchantId: string,
    provider: string,
    body: unknown,
    contentType: string | undefined,
    requestId: string | null,
  ): Promise<ProviderConfigChange> {
    await this.merchants.get(merchantId);
    const xml = isXmlContentType(contentType);
    if (xml && (typeof body !== 'string' || body.trim() === '')) {
      throw DomainError.validation([{ field: 'xml', issue: 'the body must be a PaymentIQ config document' }], 'The provider config is invalid');
    }
    return inTransaction(this.dataSource, async (manager) => {
      const prepared = xml
        ? await this.configs.prepareXml(merchantId, provider, body as string, manager)
        : await this.configs.prepare(merchantId, provider, body, null, manager);
      return this.change(actor, prepared, xml ? 'provider_config.import_xml' : 'provider_config.update', requestId, manager);
    });
  }

  async restore(actor: StaffPrincipal, merchantId: string, provider: string, version: number, requestId: string | null): Promise<ProviderConfigChange> {
    await this.merchants.get(merchantId);
    return inTransaction(this.dataSource, async (manager) => {
      const prepared = await this.configs.prepareRestore(merchantId, provider, version, manager);
      return this.change(actor, prepared, 'provider_config.restore', requestId, manager);
    });
  }

  private async change(
    actor: StaffPrincipal,
    prepared: PreparedProviderConfig,
    action: string,
    requestId: string | null,
    manager: EntityManager,
  ): Promise<ProviderConfigChange> {
    const result = await this.makerChecker.changeProviderConfig(actor, prepared, action, requestId, manager);
    return result.applied ? { applied: true, view: result.value as ProviderConfigView } : { applied: false, pending: presentPendingChange(result.pending) };
  }
}
