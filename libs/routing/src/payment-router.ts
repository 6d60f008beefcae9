import { DomainError, ErrorCode, isSupportedCurrency, toMajorString } from '@payhub/common';
import { evaluateRule, orderRules, ruleMatches } from './rule-matcher';
import type { RoutingDecision, RoutingPayment, RoutingRule, TargetAvailabilityCheck, TargetRef } from './routing.types';
import { weightedPick } from './weighted-pick';

/** Rules come from storage already in priority order; checking is cheaper than copying and sorting. */
function isOrdered(rules: readonly RoutingRule[]): boolean {
  for (let i = 1; i < rules.length; i++) if (rules[i - 1].priority > rules[i].priority) return false;
  return true;
}

export const targetLabel = (target: TargetRef): string => `${target.provider}/${target.account}`;

export function describePayment(payment: RoutingPayment): string {
  const parts = [
    payment.txType,
    isSupportedCurrency(payment.currency) ? `${toMajorString(payment.amount, payment.currency)} ${payment.currency}` : `${payment.amount} ${payment.currency}`,
  ];
  if (payment.service) parts.push(`service ${payment.service}`);
  if (payment.country) parts.push(`country ${payment.country}`);
  if (payment.cardBrand) parts.push(`brand ${payment.cardBrand}`);
  // Only the first 6 digits: this text is stored with the transaction, where payhub keeps no more of a PAN.
  if (payment.bin) parts.push(`BIN ${payment.bin.slice(0, 6)}`);
  return parts.join(', ');
}

/**
 * The first enabled rule (by priority, then list order) whose conditions all hold wins; a later rule is
 * never consulted, even when the winner has no available target, so what staff configured is what runs.
 */
export function routePayment(rules: readonly RoutingRule[], payment: RoutingPayment, isAvailable: TargetAvailabilityCheck): RoutingDecision {
  for (const rule of isOrdered(rules) ? rules : orderRules(rules)) {
    if (!rule.enabled || !ruleMatches(rule.when, payment)) continue;
    const evaluation = evaluateRule(rule.when, payment);
    if (evaluation.matched) return decide(rule, evaluation.matchedOn, payment, isAvailable);
  }
  throw new DomainError(ErrorCode.ROUTING_NO_MATCH, `No enabled routing rule matches this payment (${describePayment(payment)})`);
}

interface Checked<T extends TargetRef> {
  ref: T;
  available: boolean;
  reason: string;
}

function check<T extends TargetRef>(refs: readonly T[], isAvailable: TargetAvailabilityCheck): Array<Checked<T>> {
  return refs.map((ref) => {
    const result = isAvailable({ provider: ref.provider, account: ref.account });
    return { ref, available: result.available, reason: result.reason ?? (result.available ? 'available' : 'unavailable') };
  });
}

const listed = (items: ReadonlyArray<Checked<TargetRef>>): string => items.map((c) => `${targetLabel(c.ref)} (${c.reason})`).join(', ');

/**
 * A target found unavailable here was never sent the payment, so it "certainly did not take it": when
 * every weighted target is unavailable the first available fallback becomes the target. The returned
 * fallback list never contains the chosen target.
 */
function decide(rule: RoutingRule, matchedOn: string[], payment: RoutingPayment, isAvailable: TargetAvailabilityCheck): RoutingDecision {
  const targets = check(rule.then.targets, isAvailable);
  const fallbacks = check(rule.then.fallback ?? [], isAvailable);
  const availableTargets = targets.filter((t) => t.available);
  const availableFallbacks = fallbacks.filter((f) => f.available);
  const skipped = targets.filter((t) => !t.available);
  const head = `rule '${rule.name}' (priority ${rule.priority}) matched: ${matchedOn.length > 0 ? matchedOn.join(', ') : 'any payment'}`;

  let chosen: TargetRef;
  let how: string;
  if (availableTargets.length > 0) {
    const { item, totalWeight } = weightedPick(
      availableTargets.map((t) => t.ref),
      payment.txId,
    );
    chosen = item;
    how = `picked ${targetLabel(item)} by weight ${item.weight}/${totalWeight}`;
    if (skipped.length > 0) how += `; skipped ${listed(skipped)}`;
  } else if (availableFallbacks.length > 0) {
    chosen = availableFallbacks[0].ref;
    how = `no target available (${listed(skipped)}); using fallback ${targetLabel(chosen)}`;
  } else {
    throw new DomainError(
      ErrorCode.ROUTING_NO_AVAILABLE_TARGET,
      `Routing rule '${rule.name}' matched but none of its targets or fallbacks is available: ${listed([...targets, ...fallbacks])}`,
      [...targets, ...fallbacks].map((c) => ({ field: targetLabel(c.ref), issue: c.reason })),
      { ruleId: rule.id, ruleName: rule.name },
    );
  }

  const chosenLabel = targetLabel(chosen);
  return {
    ruleId: rule.id,
    ruleName: rule.name,
    target: { provider: chosen.provider, account: chosen.account },
    fallback: availableFallbacks.filter((f) => targetLabel(f.ref) !== chosenLabel).map((f) => ({ provider: f.ref.provider, account: f.ref.account })),
    reason: `${head}; ${how}`,
  };
}
