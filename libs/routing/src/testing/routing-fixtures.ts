import { TxType } from '@payhub/transactions';
import type { RoutingPayment, RoutingRule } from '../routing.types';

let ruleSeq = 0;

/** A rule that matches everything and routes to interkassa/DEFAULT, with overrides. */
export function makeRule(overrides: Partial<RoutingRule> = {}): RoutingRule {
  ruleSeq += 1;
  return {
    id: `rule_${ruleSeq}`,
    name: `rule ${ruleSeq}`,
    priority: 10,
    enabled: true,
    when: {},
    then: { targets: [{ provider: 'interkassa', account: 'DEFAULT', weight: 100 }], fallback: [] },
    ...overrides,
  };
}

/** A UAH VISA card deposit. */
export function makePayment(overrides: Partial<RoutingPayment> = {}): RoutingPayment {
  return {
    txId: 'tx_01JTESTPAYMENT',
    txType: TxType.CreditcardDeposit,
    service: null,
    amount: 150000n,
    currency: 'UAH',
    country: 'UA',
    cardBrand: 'VISA',
    bin: '411111',
    ...overrides,
  };
}
