import { Injectable } from '@nestjs/common';
import { MerchantProviderConfigs, ProviderConfigService } from '@payhub/provider-config';
import { ProviderRegistry, ThreeDsDecision } from '@payhub/providers-core';
import { targetLabel } from './payment-router';
import type { PaymentMethodsQueryDto } from './payment-methods.dto';
import { listPaymentMethods, MethodCandidate, PaymentMethod } from './payment-methods';
import { parsePaywayMapping, resolvePayway } from './payway-mapping';
import type { TargetRef } from './routing.types';
import { RoutingService } from './routing.service';
import { resolveThreeDs } from './three-ds-routing';
import type { ThreeDsSetting } from './three-ds-setting.dto';

/** `GET /v1/payment-methods`: what the merchant's routing would accept right now. */
@Injectable()
export class PaymentMethodsService {
  constructor(
    private readonly routing: RoutingService,
    private readonly providerConfigs: ProviderConfigService,
    private readonly registry: ProviderRegistry,
  ) {}

  async list(merchantId: string, query: PaymentMethodsQueryDto): Promise<{ data: PaymentMethod[]; hasMore: false; nextCursor: null }> {
    const [rules, threeDs, configs] = await Promise.all([
      this.routing.rules(merchantId),
      this.routing.threeDsSetting(merchantId),
      this.providerConfigs.load(merchantId),
    ]);
    const paywayOf = this.paywayMappings(configs);
    const data = listPaymentMethods(rules, {
      direction: query.direction,
      currency: query.currency,
      country: query.country ?? null,
      amount: query.amount === undefined ? null : BigInt(query.amount),
    }, {
      targetAvailable: (target, candidate) => this.available(target, candidate, query.currency, configs, paywayOf),
      threeDsFor: (target): ThreeDsDecision => {
        const override = configs.availability(target.provider, target.account, query.currency).threeDsOverride as ThreeDsSetting | null | undefined;
        return resolveThreeDs(threeDs, override ?? null);
      },
    });
    return { data, hasMore: false, nextCursor: null };
  }

  /** The same checks a payment meets: provider capability, config and account, and a payway for the card brand. */
  private available(target: TargetRef, candidate: MethodCandidate, currency: string, configs: MerchantProviderConfigs, paywayOf: (t: TargetRef) => string | null): boolean {
    const provider = this.registry.find(target.provider);
    if (!provider || !provider.supports(candidate.txType, candidate.service ?? undefined)) return false;
    if (!configs.availability(target.provider, target.account, currency).available) return false;
    if (candidate.cardBrand === null) return true;
    const mapping = paywayOf(target);
    if (mapping === null) return true;
    try {
      resolvePayway(parsePaywayMapping(mapping), candidate.cardBrand, currency);
      return true;
    } catch {
      return false;
    }
  }

  /** Resolving opens the account's secrets, so each target is resolved once per listing. */
  private paywayMappings(configs: MerchantProviderConfigs): (target: TargetRef) => string | null {
    const cache = new Map<string, string | null>();
    return (target) => {
      const key = targetLabel(target);
      if (!cache.has(key)) cache.set(key, configs.resolve(target.provider, target.account).paywayMapping);
      return cache.get(key)!;
    };
  }
}
