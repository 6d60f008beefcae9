import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, ConfigChangeBus, DomainError, ErrorCode, MASK, MerchantCache, newId, SecretBox } from '@payhub/common';
import { afterCommit, isDuplicateKeyError, insertRows } from '@payhub/database';
import { ProviderRegistry, type ResolvedAccount } from '@payhub/providers-core';
import { changedHosts, maskConfig, sealSecrets, sensitiveChanges } from './config-secrets';
import { descriptorFor, useDescriptorSource } from './config-descriptor.registry';
import { MerchantProviderConfigs } from './merchant-provider-configs';
import { exportPaymentIqXml, importPaymentIqXml } from './paymentiq-xml';
import { ProviderConfigVersionEntity } from './provider-config-version.entity';
import type { ProviderConfig } from './provider-config.types';
import { validateProviderConfig } from './provider-config.validator';

export interface ProviderConfigView {
  merchantId: string;
  provider: string;
  version: number;
  config: ProviderConfig<object>;
  createdBy: string;
  createdAt: string;
  comment: string | null;
}

/**
 * A validated, sealed config not stored yet. `sensitive` names what maker-checker guards (changed base
 * URLs, changed credentials) and is empty for a merchant's first config of this provider (onboarding).
 */
export interface PreparedProviderConfig {
  merchantId: string;
  provider: string;
  config: ProviderConfig<object>;
  /** The version in force it replaces (0: none); storing fails if another change got in first. */
  baseVersion: number;
  sensitive: string[];
  comment: string | null;
}

/** One difference between two versions; a secret's values are masked, its change told by comparing the clear values. */
export interface ProviderConfigChangeEntry {
  field: string;
  change: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
  secret: boolean;
}

export interface ProviderConfigDiff {
  merchantId: string;
  provider: string;
  from: number;
  to: number;
  changes: ProviderConfigChangeEntry[];
}

/** How long a process may serve a merchant's configs from memory if a change announcement is missed. */
export const CONFIG_CACHE_TTL_MS = 30_000;

@Injectable()
export class ProviderConfigService {
  private readonly cache = new MerchantCache<MerchantProviderConfigs>(CONFIG_CACHE_TTL_MS);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
    private readonly changes: ConfigChangeBus,
    registry: ProviderRegistry,
  ) {
    changes.onChange((merchantId) => this.cache.invalidate(merchantId));
    // Config schemas come with the adapters, served by the registry.
    useDescriptorSource(registry);
  }

  /** The hot path's read (payment creation): from memory, dropped on every change announcement. */
  async loadCached(merchantId: string): Promise<MerchantProviderConfigs> {
    return this.cache.get(merchantId, async () => this.snapshot(merchantId, await this.latestRows(merchantId)));
  }

  /** One query: the version in force of every provider config of the merchant. */
  async load(merchantId: string): Promise<MerchantProviderConfigs> {
    return this.snapshot(merchantId, await this.latestRows(merchantId));
  }

  private latestRows(merchantId: string): Promise<ProviderConfigVersionEntity[]> {
    return this.dataSource
      .getRepository(ProviderConfigVersionEntity)
      .createQueryBuilder('c')
      .where('c.merchant_id = :merchantId', { merchantId })
      .andWhere('c.version = (SELECT MAX(v.version) FROM provider_config_versions v WHERE v.merchant_id = c.merchant_id AND v.provider = c.provider)')
      .getMany();
  }

  private snapshot(merchantId: string, rows: ProviderConfigVersionEntity[]): MerchantProviderConfigs {
    return new MerchantProviderConfigs(merchantId, new Map(rows.map((r) => [r.provider, r.config])), this.box, this.appConfig.providerTimeoutMs);
  }

  /** Every merchant's accounts for one provider, each from the version in force. */
  async allAccounts(provider: string): Promise<ResolvedAccount[]> {
    const rows = await this.dataSource
      .getRepository(ProviderConfigVersionEntity)
      .createQueryBuilder('c')
      .where('c.provider = :provider', { provider })
      .andWhere('c.version = (SELECT MAX(v.version) FROM provider_config_versions v WHERE v.merchant_id = c.merchant_id AND v.provider = c.provider)')
      .getMany();
    return rows.flatMap((row) =>
      new MerchantProviderConfigs(row.merchantId, new Map([[provider, row.config]]), this.box, this.appConfig.providerTimeoutMs).accountsOf(provider),
    );
  }

  async resolveAccount(merchantId: string, provider: string, account: string): Promise<ResolvedAccount> {
    return (await this.load(merchantId)).resolve(provider, account);
  }

  async get(merchantId: string, provider: string): Promise<ProviderConfigView> {
    const view = await this.find(merchantId, provider);
    if (!view) throw new DomainError(ErrorCode.PROVIDER_CONFIG_NOT_FOUND, `No ${provider} config for merchant ${merchantId}`);
    return view;
  }

  /** The version in force, masked, or null when the merchant has none for this provider. */
  async find(merchantId: string, provider: string, manager?: EntityManager): Promise<ProviderConfigView | null> {
    descriptorFor(provider);
    const row = await this.latest(merchantId, provider, manager);
    return row ? this.view(row) : null;
  }

  /**
   * Validates, seals secrets (a masked secret keeps the stored one) and stores a new version. Pass the
   * manager of the caller's DB transaction so an audit row commits or rolls back with the version.
   */
  async put(
    merchantId: string,
    provider: string,
    input: unknown,
    actor: string,
    comment: string | null = null,
    manager?: EntityManager,
  ): Promise<ProviderConfigView> {
    return this.commit(await this.prepare(merchantId, provider, input, comment, manager), actor, manager);
  }

  /** Validates and seals; a base URL moving to another host refuses masked secrets (they would follow it). */
  async prepare(merchantId: string, provider: string, input: unknown, comment: string | null = null, manager?: EntityManager): Promise<PreparedProviderConfig> {
    const descriptor = descriptorFor(provider);
    const config = validateProviderConfig(provider, input);
    const previous = await this.latest(merchantId, provider, manager);
    const sensitive = previous ? sensitiveChanges(descriptor, config, previous.config, this.box) : [];
    const sealed = sealSecrets(descriptor, config, this.box, previous?.config ?? null, changedHosts(config, previous?.config ?? null));
    return { merchantId, provider, config: sealed, baseVersion: previous?.version ?? 0, sensitive, comment };
  }

  async prepareXml(merchantId: string, provider: string, xml: string, manager?: EntityManager): Promise<PreparedProviderConfig> {
    return this.prepare(merchantId, provider, importPaymentIqXml(descriptorFor(provider), xml), 'imported from PaymentIQ XML', manager);
  }

  /** An old version as the next one; restoring other base URLs or credentials is as sensitive as typing them. */
  async prepareRestore(merchantId: string, provider: string, version: number, manager?: EntityManager): Promise<PreparedProviderConfig> {
    const descriptor = descriptorFor(provider);
    const old = await (manager ?? this.dataSource.manager).getRepository(ProviderConfigVersionEntity).findOneBy({ merchantId, provider, version });
    if (!old) throw new DomainError(ErrorCode.PROVIDER_CONFIG_VERSION_NOT_FOUND, `${provider} config version ${version} does not exist`);
    const latest = await this.latest(merchantId, provider, manager);
    const sensitive = latest ? sensitiveChanges(descriptor, old.config, latest.config, this.box, true) : [];
    return { merchantId, provider, config: old.config, baseVersion: latest?.version ?? 0, sensitive, comment: `restored version ${version}` };
  }

  /** Stores a prepared config as the next version; CONCURRENT_UPDATE when the config moved on since it was prepared. */
  async commit(prepared: PreparedProviderConfig, actor: string, manager?: EntityManager): Promise<ProviderConfigView> {
    const latest = await this.latest(prepared.merchantId, prepared.provider, manager);
    if ((latest?.version ?? 0) !== prepared.baseVersion)
      throw new DomainError(ErrorCode.CONCURRENT_UPDATE, 'The config was changed at the same time; reload it and try again');
    return this.insertVersion(prepared.merchantId, prepared.provider, prepared.config, prepared.baseVersion + 1, actor, prepared.comment, manager);
  }

  /** The masked form of a prepared config, for responses and audit rows. */
  present(prepared: PreparedProviderConfig): ProviderConfig<object> {
    return maskConfig(descriptorFor(prepared.provider), prepared.config);
  }

  async importXml(merchantId: string, provider: string, xml: string, actor: string, manager?: EntityManager): Promise<ProviderConfigView> {
    return this.commit(await this.prepareXml(merchantId, provider, xml, manager), actor, manager);
  }

  /** The XML form with secrets masked: exports never carry a secret. */
  async exportXml(merchantId: string, provider: string): Promise<string> {
    const view = await this.get(merchantId, provider);
    return exportPaymentIqXml(descriptorFor(provider), view.config);
  }

  async versions(merchantId: string, provider: string): Promise<ProviderConfigView[]> {
    descriptorFor(provider);
    const rows = await this.dataSource.getRepository(ProviderConfigVersionEntity).find({ where: { merchantId, provider }, order: { version: 'DESC' } });
    return rows.map((r) => this.view(r));
  }

  /**
   * What changed from version `from` to version `to`, leaf by leaf (account fields, base URLs, nested
   * settings). Secrets are compared in the clear here and shown masked, so a replaced key shows as
   * changed without a character of it leaving the server.
   */
  async diff(merchantId: string, provider: string, from: number, to: number): Promise<ProviderConfigDiff> {
    const descriptor = descriptorFor(provider);
    const repository = this.dataSource.getRepository(ProviderConfigVersionEntity);
    const [before, after] = await Promise.all([from, to].map((version) => repository.findOneBy({ merchantId, provider, version })));
    for (const [row, version] of [
      [before, from],
      [after, to],
    ] as const) {
      if (!row) throw new DomainError(ErrorCode.PROVIDER_CONFIG_VERSION_NOT_FOUND, `${provider} config version ${version} does not exist`);
    }
    const secrets = new Set(descriptor.secretFields);
    const isSecret = (path: string[]) => path.length === 3 && path[0] === 'accounts' && secrets.has(path[2]);
    const left = leaves(before!.config);
    const right = leaves(after!.config);
    const changes: ProviderConfigChangeEntry[] = [];
    for (const field of [...new Set([...left.keys(), ...right.keys()])].sort()) {
      const secret = isSecret(field.split('.'));
      const a = left.get(field);
      const b = right.get(field);
      const show = (value: unknown) => (secret ? MASK : value);
      if (a === undefined) changes.push({ field, change: 'added', after: show(b), secret });
      else if (b === undefined) changes.push({ field, change: 'removed', before: show(a), secret });
      else if (secret ? this.box.open(a as string) !== this.box.open(b as string) : JSON.stringify(a) !== JSON.stringify(b))
        changes.push({ field, change: 'changed', before: show(a), after: show(b), secret });
    }
    return { merchantId, provider, from, to, changes };
  }

  /** Restoring is a change like any other: the old config becomes a new version. */
  async restore(merchantId: string, provider: string, version: number, actor: string, manager?: EntityManager): Promise<ProviderConfigView> {
    return this.commit(await this.prepareRestore(merchantId, provider, version, manager), actor, manager);
  }

  private async insertVersion(
    merchantId: string,
    provider: string,
    config: ProviderConfig<object>,
    version: number,
    actor: string,
    comment: string | null,
    manager?: EntityManager,
  ): Promise<ProviderConfigView> {
    const row: ProviderConfigVersionEntity = {
      id: newId('cfg'),
      merchantId,
      provider,
      version,
      config,
      keyId: this.box.activeKeyId,
      createdBy: actor,
      comment,
      createdAt: new Date(),
    };
    try {
      await insertRows(manager ?? this.dataSource, ProviderConfigVersionEntity, row);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DomainError(ErrorCode.CONCURRENT_UPDATE, 'The config was changed at the same time; reload it and try again');
      throw error;
    }
    await afterCommit(manager, () => this.changes.changed(merchantId));
    return this.view(row);
  }

  private async latest(merchantId: string, provider: string, manager?: EntityManager): Promise<ProviderConfigVersionEntity | null> {
    return (manager ?? this.dataSource.manager)
      .getRepository(ProviderConfigVersionEntity)
      .findOne({ where: { merchantId, provider }, order: { version: 'DESC' } });
  }

  private view(row: ProviderConfigVersionEntity): ProviderConfigView {
    return {
      merchantId: row.merchantId,
      provider: row.provider,
      version: row.version,
      config: maskConfig(descriptorFor(row.provider), row.config),
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
      comment: row.comment,
    };
  }
}

/** Every leaf of a config by its dotted path (`accounts.DEFAULT.checkoutId`); arrays and scalars are leaves. */
function leaves(value: unknown, path: string[] = [], into = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) leaves(child, [...path, key], into);
  } else if (value !== undefined && path.length) into.set(path.join('.'), value);
  return into;
}
