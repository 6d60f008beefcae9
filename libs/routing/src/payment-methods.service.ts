import { Injectable, Logger } from '@nestjs/common';
import { MerchantProviderConfigs, ProviderConfigService } from '@payhub/provider-config';
import { ProviderInputField, ProviderPaymentMethod, ProviderRegistry, ThreeDsDecision } from '@payhub/providers-core';
import { targetLabel } from './payment-router';
import type { PaymentMethodsQueryDto } from './payment-methods.dto';
import { apiRequiredFields, listPaymentMethods, MethodCandidate, PaymentMethod } from './payment-methods';
import { parsePaywayMapping, resolvePayway } from './payway-mapping';
import type { RoutingRule, TargetRef } from './routing.types';
import { RoutingService } from './routing.service';
import { resolveThreeDs } from './three-ds-routing';
import type { ThreeDsSetting } from './three-ds-setting.dto';

/**
 * A method routed only to providers that listed their live methods, and absent from every list, is not
 * offered now; a listed one carries the provider's logo, hints and extra input fields.
 */
export function withLiveMethods(method: PaymentMethod, targets: TargetRef[], live: ReadonlyMap<string, ProviderPaymentMethod[]>): PaymentMethod | null {
  const lists = targets.map((t) => live.get(targetLabel(t)));
  if (lists.some((list) => list === undefined)) return method;
  const same = (m: ProviderPaymentMethod) => m.txType === method.txType && m.service.toLowerCase() === (method.service ?? '').toLowerCase();
  const match = lists.flatMap((list) => list!).find(same);
  if (!match) return null;
  const known = new Set(method.inputFields.map((f) => f.field));
  const liveMin = match.minAmount === undefined || match.minAmount === null ? null : Number(match.minAmount);
  const minAmount = liveMin === null ? method.limits.minAmount : Math.max(liveMin, method.limits.minAmount ?? 0);
  return {
    ...method,
    inputFields: [...method.inputFields, ...match.inputFields.filter((f) => !known.has(f.field))],
    limits: { ...method.limits, minAmount },
    logo: match.logo ?? null,
    hints: match.hints ?? {},
  };
}

/**
 * The fields the method needs where every target provider states its own: what payhub's API requires
 * for the txType plus what each provider asks for (required when any target requires it). Targets of a
 * provider that states nothing keep the generic list.
 */
export function withProviderFields(method: PaymentMethod, declared: Array<ProviderInputField[] | null>): PaymentMethod {
  if (declared.length === 0 || declared.some((d) => d === null)) return method;
  const fields = new Map<string, boolean>(apiRequiredFields(method.txType, method.service).map((f) => [f.field, f.required]));
  for (const list of declared) for (const f of list!) fields.set(f.field, (fields.get(f.field) ?? false) || f.required);
  const browser = method.inputFields.filter((f) => f.field.startsWith('browser.'));
  for (const f of browser) fields.set(f.field, f.required);
  return { ...method, inputFields: [...fields.entries()].map(([field, required]) => ({ field, required })) };
}

/** `GET /v1/payment-methods`: what the merchant's routing would accept right now. */
@Injectable()
export class PaymentMethodsService {
  private readonly logger = new Logger(PaymentMethodsService.name);
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
    const live = await this.liveMethods(rules, query, configs);
    const data = listPaymentMethods(
      rules,
      {
        direction: query.direction,
        currency: query.currency,
        country: query.country ?? null,
        amount: query.amount === undefined ? null : BigInt(query.amount),
      },
      {
        targetAvailable: (target, candidate) => this.available(target, candidate, query.currency, configs, paywayOf),
        threeDsFor: (target): ThreeDsDecision => {
          const override = configs.availability(target.provider, target.account, query.currency).threeDsOverride as ThreeDsSetting | null | undefined;
          return resolveThreeDs(threeDs, override ?? null);
        },
        enrich: (method, targets) => {
          const declared = targets.map((t) => {
            const provider = this.registry.find(t.provider);
            return provider?.inputFields
              ? provider.inputFields({ txType: method.txType, service: method.service }, configs.resolve(t.provider, t.account))
              : null;
          });
          return withLiveMethods(withProviderFields(method, declared), targets, live);
        },
      },
    );
    return { data, hasMore: false, nextCursor: null };
  }

  /** The same checks a payment meets: provider capability, config and account, and a payway for the card brand. */
  private available(
    target: TargetRef,
    candidate: MethodCandidate,
    currency: string,
    configs: MerchantProviderConfigs,
    paywayOf: (t: TargetRef) => string | null,
  ): boolean {
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

  /**
   * Providers that list their methods (Paykassma's available payment systems) are asked once per account
   * per listing. A failed or empty answer tells nothing, so it hides nothing.
   */
  private async liveMethods(
    rules: RoutingRule[],
    query: PaymentMethodsQueryDto,
    configs: MerchantProviderConfigs,
  ): Promise<Map<string, ProviderPaymentMethod[]>> {
    const targets = new Map<string, TargetRef>();
    for (const rule of rules.filter((r) => r.enabled)) {
      for (const target of [...rule.then.targets, ...(rule.then.fallback ?? [])]) {
        if (this.registry.find(target.provider)?.paymentMethods && configs.availability(target.provider, target.account, query.currency).available)
          targets.set(targetLabel(target), target);
      }
    }
    const answers = await Promise.all(
      [...targets.entries()].map(async ([label, target]): Promise<[string, ProviderPaymentMethod[]]> => {
        try {
          const methods = await this.registry.get(target.provider).paymentMethods!(configs.resolve(target.provider, target.account), {
            direction: query.direction,
            currency: query.currency,
            country: query.country ?? null,
          });
          return [label, methods];
        } catch (error) {
          this.logger.warn({ target: label, error: (error as Error).message }, 'provider method listing failed');
          return [label, []];
        }
      }),
    );
    return new Map(answers.filter(([, methods]) => methods.length > 0));
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
