import { DomainError, ErrorDetail } from '@payhub/common';
import { routePayment } from './payment-router';
import { ConditionName, evaluateRule, orderRules } from './rule-matcher';
import type { RoutingDecision, RoutingPayment, RoutingRule, TargetAvailabilityCheck } from './routing.types';

export interface RuleExplanation {
  ruleId: string;
  ruleName: string;
  priority: number;
  enabled: boolean;
  /** Conditions all hold (also reported for disabled rules and rules behind the winner). */
  matched: boolean;
  /** This rule routes the payment. */
  selected: boolean;
  /** First failing condition, or 'enabled' for a disabled rule; null when matched. */
  failedCondition: ConditionName | 'enabled' | null;
  reason: string;
}

export interface RoutingExplanation {
  rules: RuleExplanation[];
  decision: RoutingDecision | null;
  error: { code: string; message: string; details: ErrorDetail[] } | null;
}

const everythingAvailable: TargetAvailabilityCheck = () => ({ available: true });

/** Every rule in evaluation order with why it did or did not route the sample payment. */
export function explainRouting(
  rules: readonly RoutingRule[],
  payment: RoutingPayment,
  isAvailable: TargetAvailabilityCheck = everythingAvailable,
): RoutingExplanation {
  let winner: RoutingRule | null = null;
  const explained = orderRules(rules).map((rule): RuleExplanation => {
    const evaluation = evaluateRule(rule.when, payment);
    const base = { ruleId: rule.id, ruleName: rule.name, priority: rule.priority, enabled: rule.enabled, matched: evaluation.matched };
    if (!evaluation.matched) {
      const prefix = rule.enabled ? '' : 'disabled; also ';
      return { ...base, selected: false, failedCondition: rule.enabled ? evaluation.failedCondition : 'enabled', reason: `${prefix}${evaluation.issue}` };
    }
    const matchedOn = evaluation.matchedOn.length > 0 ? evaluation.matchedOn.join(', ') : 'any payment';
    if (!rule.enabled) return { ...base, selected: false, failedCondition: 'enabled', reason: `disabled; would match: ${matchedOn}` };
    if (winner !== null) {
      return {
        ...base,
        selected: false,
        failedCondition: null,
        reason: `matches (${matchedOn}) but rule '${winner.name}' (priority ${winner.priority}) comes first`,
      };
    }
    winner = rule;
    return { ...base, selected: true, failedCondition: null, reason: `matches: ${matchedOn}` };
  });

  try {
    return { rules: explained, decision: routePayment(rules, payment, isAvailable), error: null };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { rules: explained, decision: null, error: { code: error.code, message: error.message, details: error.details } };
  }
}
