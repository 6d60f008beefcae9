import type { RoutingPayment, RuleConditions } from './routing.types';

export type ConditionName = 'txTypes' | 'services' | 'currencies' | 'countries' | 'cardBrands' | 'binPrefixes' | 'amountMin' | 'amountMax';

export type RuleEvaluation = { matched: true; matchedOn: string[] } | { matched: false; failedCondition: ConditionName; issue: string };

/** Ascending priority; equal priorities keep list order (the sort is stable). */
export function orderRules<T extends { priority: number }>(rules: readonly T[]): T[] {
  return rules.toSorted((a, b) => a.priority - b.priority);
}

const constrained = <T>(list: readonly T[] | undefined): list is readonly T[] => list !== undefined && list !== null && list.length > 0;
const shown = (value: string | null): string => value ?? 'none';

/**
 * The same test as evaluateRule without building any explanation: routing runs this over every rule of
 * every payment and explains only the winner. A unit test holds the two in agreement.
 */
export function ruleMatches(when: RuleConditions, payment: RoutingPayment): boolean {
  if (constrained(when.txTypes) && !when.txTypes.includes(payment.txType)) return false;
  if (constrained(when.services)) {
    const service = payment.service?.toLowerCase();
    if (service === undefined || !when.services.some((s) => s.toLowerCase() === service)) return false;
  }
  if (constrained(when.currencies) && !when.currencies.includes(payment.currency.toUpperCase())) return false;
  if (constrained(when.countries) && (payment.country === null || !when.countries.includes(payment.country.toUpperCase()))) return false;
  if (constrained(when.cardBrands) && (payment.cardBrand === null || !when.cardBrands.includes(payment.cardBrand))) return false;
  if (constrained(when.binPrefixes)) {
    const bin = payment.bin;
    if (bin === null || !when.binPrefixes.some((p) => bin.startsWith(p))) return false;
  }
  if (when.amountMin !== undefined && when.amountMin !== null && payment.amount < BigInt(when.amountMin)) return false;
  if (when.amountMax !== undefined && when.amountMax !== null && payment.amount > BigInt(when.amountMax)) return false;
  return true;
}

/**
 * All conditions must hold. Checks run in a fixed order and stop at the first failure, which is what
 * explain reports. A constrained condition never matches a payment that lacks the field (a wallet
 * deposit has no brand, so it never matches a rule that names brands).
 */
export function evaluateRule(when: RuleConditions, payment: RoutingPayment): RuleEvaluation {
  const matchedOn: string[] = [];
  const fail = (failedCondition: ConditionName, issue: string): RuleEvaluation => ({ matched: false, failedCondition, issue });

  if (constrained(when.txTypes)) {
    if (!when.txTypes.includes(payment.txType)) return fail('txTypes', `txType ${payment.txType} is not one of ${when.txTypes.join(', ')}`);
    matchedOn.push(`txType ${payment.txType}`);
  }
  if (constrained(when.services)) {
    const service = payment.service?.toLowerCase() ?? null;
    if (service === null || !when.services.some((s) => s.toLowerCase() === service)) {
      return fail('services', `service ${shown(payment.service)} is not one of ${when.services.join(', ')}`);
    }
    matchedOn.push(`service ${payment.service}`);
  }
  if (constrained(when.currencies)) {
    const currency = payment.currency.toUpperCase();
    if (!when.currencies.includes(currency)) return fail('currencies', `currency ${payment.currency} is not one of ${when.currencies.join(', ')}`);
    matchedOn.push(`currency ${currency}`);
  }
  if (constrained(when.countries)) {
    const country = payment.country?.toUpperCase() ?? null;
    if (country === null || !when.countries.includes(country)) {
      return fail('countries', `country ${shown(payment.country)} is not one of ${when.countries.join(', ')}`);
    }
    matchedOn.push(`country ${country}`);
  }
  if (constrained(when.cardBrands)) {
    if (payment.cardBrand === null || !when.cardBrands.includes(payment.cardBrand)) {
      return fail('cardBrands', `brand ${shown(payment.cardBrand)} is not one of ${when.cardBrands.join(', ')}`);
    }
    matchedOn.push(`brand ${payment.cardBrand}`);
  }
  if (constrained(when.binPrefixes)) {
    const bin = payment.bin;
    const prefix = bin === null ? undefined : when.binPrefixes.find((p) => bin.startsWith(p));
    if (prefix === undefined) return fail('binPrefixes', `BIN ${shown(bin)} does not start with any of ${when.binPrefixes.join(', ')}`);
    matchedOn.push(`BIN starts with ${prefix}`);
  }
  if (when.amountMin !== undefined && when.amountMin !== null) {
    if (payment.amount < BigInt(when.amountMin)) return fail('amountMin', `amount ${payment.amount} is below amountMin ${when.amountMin}`);
    matchedOn.push(`amount ${payment.amount} ≥ ${when.amountMin}`);
  }
  if (when.amountMax !== undefined && when.amountMax !== null) {
    if (payment.amount > BigInt(when.amountMax)) return fail('amountMax', `amount ${payment.amount} is above amountMax ${when.amountMax}`);
    matchedOn.push(`amount ${payment.amount} ≤ ${when.amountMax}`);
  }
  return { matched: true, matchedOn };
}
