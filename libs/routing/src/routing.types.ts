import type { TxType } from '@payhub/transactions';
import type { CardBrand } from './card-brand';

/** Empty or absent lists and absent bounds mean "any". Amounts are minor units of the payment's currency. */
export interface RuleConditions {
  txTypes?: TxType[];
  services?: string[];
  currencies?: string[];
  countries?: string[];
  cardBrands?: CardBrand[];
  binPrefixes?: string[];
  amountMin?: number;
  amountMax?: number;
}

export interface TargetRef {
  provider: string;
  account: string;
}

export interface WeightedTarget extends TargetRef {
  weight: number;
}

export interface RuleActions {
  targets: WeightedTarget[];
  fallback?: TargetRef[];
}

export interface RoutingRuleInput {
  name: string;
  priority: number;
  enabled: boolean;
  when: RuleConditions;
  then: RuleActions;
}

export interface RoutingRule extends RoutingRuleInput {
  id: string;
}

export interface RoutingPayment {
  /** Seeds the weighted pick, so a retry of the same transaction routes the same way. */
  txId: string;
  txType: TxType;
  service: string | null;
  amount: bigint;
  currency: string;
  country: string | null;
  cardBrand: CardBrand | null;
  /** Leading 6 to 8 digits of the PAN; pass 8 when known so 7- and 8-digit prefixes can match. */
  bin: string | null;
}

export interface TargetAvailability {
  available: boolean;
  reason?: string;
}

/** Supplied by the caller: provider capability, config enabled, account supportedCurrencies. */
export type TargetAvailabilityCheck = (target: TargetRef) => TargetAvailability;

export interface RoutingDecision {
  ruleId: string;
  ruleName: string;
  target: TargetRef;
  /** Available fallbacks in rule order; tried only when the target certainly did not take the payment. */
  fallback: TargetRef[];
  reason: string;
}
