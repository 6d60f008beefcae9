import { Injectable } from '@nestjs/common';
import { afterCommit, insertRows, inTransaction } from '@payhub/database';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConfigChangeBus, MerchantCache, newId } from '@payhub/common';
import type { MerchantProviderConfigs } from '@payhub/provider-config';
import { ProviderConfigService } from '@payhub/provider-config';
import { ProviderRegistry, ThreeDsDecision } from '@payhub/providers-core';
import { routePayment, targetLabel } from './payment-router';
import { orderRules } from './rule-matcher';
import { explainRouting, RoutingExplanation } from './routing-explainer';
import { RoutingRuleEntity, RoutingSettingsEntity } from './routing-rule.entity';
import type { RoutingRuleDto } from './routing-rule.dto';
import type { RoutingDecision, RoutingPayment, RoutingRule, TargetAvailabilityCheck } from './routing.types';
import { resolveThreeDs } from './three-ds-routing';
import type { ThreeDsSetting } from './three-ds-setting.dto';

export interface RouteDecision extends RoutingDecision {
  threeDs: ThreeDsDecision;
  /** Set by the payment use case once the account's payway mapping is known. */
  payway?: string | null;
}

/** How long a process may route from memory if a change announcement is missed. */
export const ROUTING_CACHE_TTL_MS = 30_000;

@Injectable()
export class RoutingService {
  private readonly cache = new MerchantCache<{ rules: RoutingRule[]; settings: RoutingSettingsEntity | null }>(ROUTING_CACHE_TTL_MS);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ProviderRegistry,
    private readonly providerConfigs: ProviderConfigService,
    private readonly changes: ConfigChangeBus,
  ) {
    changes.onChange((merchantId) => this.cache.invalidate(merchantId));
  }

  /** Routes one payment against the merchant's rules and the config snapshot the payment will use. */
  async decide(merchantId: string, payment: RoutingPayment, configs: MerchantProviderConfigs): Promise<RouteDecision> {
    // Rules and settings from memory: a payment costs no routing query (changes are announced, see ConfigChangeBus).
    const { rules, settings } = await this.cache.get(merchantId, async () => {
      const [loaded, loadedSettings] = await Promise.all([this.rules(merchantId), this.settings(merchantId)]);
      return { rules: orderRules(loaded), settings: loadedSettings };
    });
    const decision = routePayment(rules, payment, this.availability(payment, configs));
    const override = configs.availability(decision.target.provider, decision.target.account, payment.currency).threeDsOverride as
      ThreeDsSetting | null | undefined;
    return { ...decision, threeDs: resolveThreeDs(settings?.threeDsRouting as ThreeDsSetting | null, override ?? null) };
  }

  /** "Which rule, why" for a sample payment, creating nothing. */
  async explain(merchantId: string, payment: RoutingPayment): Promise<RoutingExplanation & { threeDs: ThreeDsDecision | null }> {
    return this.explainWith(merchantId, await this.rules(merchantId), payment);
  }

  private async explainWith(
    merchantId: string,
    rules: readonly RoutingRule[],
    payment: RoutingPayment,
  ): Promise<RoutingExplanation & { threeDs: ThreeDsDecision | null }> {
    const [settings, configs] = await Promise.all([this.settings(merchantId), this.providerConfigs.load(merchantId)]);
    const explanation = explainRouting(rules, payment, this.availability(payment, configs));
    const target = explanation.decision?.target;
    const override = target
      ? (configs.availability(target.provider, target.account, payment.currency).threeDsOverride as ThreeDsSetting | null | undefined)
      : null;
    return { ...explanation, threeDs: target ? resolveThreeDs(settings?.threeDsRouting as ThreeDsSetting | null, override ?? null) : null };
  }

  /** The same explanation for rules that are not stored (a draft being edited), against the stored 3DS setting and provider configs. */
  async explainDraft(
    merchantId: string,
    rules: readonly RoutingRule[],
    payment: RoutingPayment,
  ): Promise<RoutingExplanation & { threeDs: ThreeDsDecision | null }> {
    return this.explainWith(merchantId, rules, payment);
  }

  async rules(merchantId: string): Promise<RoutingRule[]> {
    const rows = await this.dataSource.getRepository(RoutingRuleEntity).find({ where: { merchantId }, order: { position: 'ASC' } });
    return rows.map((r) => ({ id: r.id, name: r.name, priority: r.priority, enabled: Boolean(r.enabled), when: r.when, then: r.then }));
  }

  /** PUT semantics: the list replaces the merchant's rules in one DB transaction. */
  async replaceRules(
    merchantId: string,
    rules: RoutingRuleDto[],
    actor: string,
    manager?: EntityManager,
  ): Promise<{ before: RoutingRule[]; after: RoutingRule[] }> {
    const work = async (m: EntityManager) => {
      const before = await this.rules(merchantId);
      await m.createQueryBuilder().delete().from(RoutingRuleEntity).where('merchant_id = :merchantId', { merchantId }).execute();
      const now = new Date();
      const rows: RoutingRuleEntity[] = rules.map((rule, position) => ({
        id: newId('rr'),
        merchantId,
        position,
        name: rule.name,
        priority: rule.priority,
        enabled: rule.enabled,
        when: { ...rule.when },
        then: { targets: rule.then.targets.map((t) => ({ ...t })), fallback: (rule.then.fallback ?? []).map((f) => ({ ...f })) },
        createdBy: actor,
        createdAt: now,
      }));
      if (rows.length) await insertRows(m, RoutingRuleEntity, rows);
      await afterCommit(m, () => this.changes.changed(merchantId));
      return { before, after: rows.map((r) => ({ id: r.id, name: r.name, priority: r.priority, enabled: r.enabled, when: r.when, then: r.then })) };
    };
    return inTransaction(this.dataSource, work, manager);
  }

  async threeDsSetting(merchantId: string): Promise<ThreeDsSetting> {
    const settings = await this.settings(merchantId);
    return (settings?.threeDsRouting as ThreeDsSetting | null) ?? { enabled: false, mode: 'off' };
  }

  async setThreeDsSetting(merchantId: string, setting: ThreeDsSetting, actor: string): Promise<{ before: ThreeDsSetting; after: ThreeDsSetting }> {
    const before = await this.threeDsSetting(merchantId);
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(RoutingSettingsEntity)
      .values({ merchantId, threeDsRouting: { ...setting }, updatedBy: actor, updatedAt: new Date() })
      .orUpdate(['three_ds_routing', 'updated_by', 'updated_at'], ['merchant_id'])
      .updateEntity(false)
      .execute();
    await this.changes.changed(merchantId);
    return { before, after: { ...setting } };
  }

  private async settings(merchantId: string): Promise<RoutingSettingsEntity | null> {
    return this.dataSource.getRepository(RoutingSettingsEntity).findOneBy({ merchantId });
  }

  /** A target is available when its provider is installed and can do this payment, and its config allows it. */
  private availability(payment: RoutingPayment, configs: MerchantProviderConfigs): TargetAvailabilityCheck {
    return (target) => {
      const provider = this.registry.find(target.provider);
      if (!provider) return { available: false, reason: `provider ${target.provider} is not installed` };
      if (!provider.supports(payment.txType, payment.service)) {
        return { available: false, reason: `${target.provider} does not support ${payment.txType}${payment.service ? `/${payment.service}` : ''}` };
      }
      const account = configs.availability(target.provider, target.account, payment.currency);
      return account.available ? { available: true } : { available: false, reason: account.reason ?? `${targetLabel(target)} unavailable` };
    };
  }
}
