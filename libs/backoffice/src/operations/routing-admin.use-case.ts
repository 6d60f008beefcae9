import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, StaffPrincipal } from '..';
import { DomainError, ErrorDetail } from '@payhub/common';
import { MerchantsService } from '@payhub/merchants';
import { configuredProviders } from '@payhub/provider-config';
import type { ThreeDsDecision } from '@payhub/providers-core';
import { inTransaction } from '@payhub/database';
import {
  RoutingDraftExplainDto,
  RoutingExplanation,
  RoutingRule,
  RoutingRulesDto,
  RoutingSampleDto,
  RoutingService,
  samplePayment,
  ThreeDsSetting,
  ThreeDsSettingDto,
} from '@payhub/routing';

export interface ExplainResponse extends RoutingExplanation {
  /** The sample as routing saw it; a card number is reduced to brand and BIN. */
  payment: {
    txId: string;
    txType: string;
    service: string | null;
    amount: number;
    currency: string;
    country: string | null;
    cardBrand: string | null;
    bin: string | null;
  };
  threeDs: ThreeDsDecision | null;
}

/** Back-office reads and changes of a merchant's routing; each change is audited in its DB transaction. */
@Injectable()
export class RoutingAdminUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly merchants: MerchantsService,
    private readonly routing: RoutingService,
    private readonly audit: AuditService,
  ) {}

  /** In the list shape of every list; the whole list, as PUT replaces it whole. */
  async rules(merchantId: string): Promise<{ data: RoutingRule[]; hasMore: false; nextCursor: null }> {
    await this.merchants.get(merchantId);
    return { data: await this.routing.rules(merchantId), hasMore: false, nextCursor: null };
  }

  async replaceRules(
    actor: StaffPrincipal,
    merchantId: string,
    dto: RoutingRulesDto,
    requestId: string | null,
  ): Promise<{ data: RoutingRule[]; hasMore: false; nextCursor: null }> {
    await this.merchants.get(merchantId);
    checkProviders(dto);
    return inTransaction(this.dataSource, async (manager) => {
      const { before, after } = await this.routing.replaceRules(merchantId, dto.rules, actor.email, manager);
      await this.audit.record(
        { actor, action: 'routing.rules.replace', targetType: 'merchant', targetId: merchantId, before: { rules: before }, after: { rules: after }, requestId },
        manager,
      );
      return { data: after, hasMore: false, nextCursor: null };
    });
  }

  async explain(merchantId: string, sample: RoutingSampleDto): Promise<ExplainResponse> {
    await this.merchants.get(merchantId);
    const payment = samplePayment(sample);
    const explanation = await this.routing.explain(merchantId, payment);
    return {
      payment: { ...payment, amount: sample.amount },
      ...explanation,
    };
  }

  /** Explain against rules that are not saved: validated as a PUT would be, then nothing is stored. */
  async explainDraft(merchantId: string, dto: RoutingDraftExplainDto): Promise<ExplainResponse> {
    await this.merchants.get(merchantId);
    checkProviders(dto);
    const payment = samplePayment(dto.payment, 'payment.');
    // Draft rules have no ids yet; each is named by its place in the list.
    const rules: RoutingRule[] = dto.rules.map((rule, i) => ({ ...rule, id: `draft-${i}` }));
    const explanation = await this.routing.explainDraft(merchantId, rules, payment);
    return { payment: { ...payment, amount: dto.payment.amount }, ...explanation };
  }

  async threeDsSetting(merchantId: string): Promise<ThreeDsSetting> {
    await this.merchants.get(merchantId);
    return this.routing.threeDsSetting(merchantId);
  }

  async setThreeDsSetting(actor: StaffPrincipal, merchantId: string, dto: ThreeDsSettingDto, requestId: string | null): Promise<ThreeDsSetting> {
    await this.merchants.get(merchantId);
    const { before, after } = await this.routing.setThreeDsSetting(merchantId, { enabled: dto.enabled, mode: dto.mode }, actor.email);
    await this.audit.record({ actor, action: 'routing.three_ds.update', targetType: 'merchant', targetId: merchantId, before, after, requestId });
    return after;
  }
}

/**
 * A target naming a provider payhub has no config schema for can never be configured, so it is a typo;
 * a known provider the merchant has not configured yet is accepted (explain reports it unavailable).
 */
function checkProviders(dto: RoutingRulesDto): void {
  const known = new Set(configuredProviders());
  const problems: ErrorDetail[] = [];
  dto.rules.forEach((rule, i) => {
    const check = (list: ReadonlyArray<{ provider: string }>, name: string) =>
      list.forEach((target, j) => {
        if (!known.has(target.provider))
          problems.push({ field: `rules[${i}].then.${name}[${j}].provider`, issue: `is not a known provider (${[...known].sort().join(', ')})` });
      });
    check(rule.then.targets, 'targets');
    check(rule.then.fallback ?? [], 'fallback');
  });
  if (problems.length > 0) throw DomainError.validation(problems, 'The routing rules name unknown providers');
}
