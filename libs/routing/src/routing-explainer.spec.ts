import { ErrorCode } from '@payhub/common';
import { TxType } from '@payhub/transactions';
import { explainRouting } from '@payhub/routing';
import { makePayment, makeRule } from './testing/routing-fixtures';

describe('explainRouting', () => {
  const rules = [
    makeRule({ id: 'catch', name: 'catch-all', priority: 100 }),
    makeRule({ id: 'inr', name: 'INR wallets', priority: 5, when: { txTypes: [TxType.WalletDeposit], currencies: ['INR'] } }),
    makeRule({ id: 'paused', name: 'paused', priority: 1, enabled: false, when: { currencies: ['UAH'] } }),
    makeRule({ id: 'big', name: 'big UAH', priority: 7, when: { currencies: ['UAH'], amountMin: 1_000_000 } }),
    makeRule({ id: 'uah', name: 'UAH cards', priority: 10, when: { currencies: ['UAH'], cardBrands: ['VISA'] } }),
  ];

  it('lists every rule in evaluation order with whether it matched and why not', () => {
    const explanation = explainRouting(rules, makePayment());
    expect(explanation.rules).toEqual([
      {
        ruleId: 'paused',
        ruleName: 'paused',
        priority: 1,
        enabled: false,
        matched: true,
        selected: false,
        failedCondition: 'enabled',
        reason: 'disabled; would match: currency UAH',
      },
      {
        ruleId: 'inr',
        ruleName: 'INR wallets',
        priority: 5,
        enabled: true,
        matched: false,
        selected: false,
        failedCondition: 'txTypes',
        reason: 'txType CreditcardDeposit is not one of WalletDeposit',
      },
      {
        ruleId: 'big',
        ruleName: 'big UAH',
        priority: 7,
        enabled: true,
        matched: false,
        selected: false,
        failedCondition: 'amountMin',
        reason: 'amount 150000 is below amountMin 1000000',
      },
      {
        ruleId: 'uah',
        ruleName: 'UAH cards',
        priority: 10,
        enabled: true,
        matched: true,
        selected: true,
        failedCondition: null,
        reason: 'matches: currency UAH, brand VISA',
      },
      {
        ruleId: 'catch',
        ruleName: 'catch-all',
        priority: 100,
        enabled: true,
        matched: true,
        selected: false,
        failedCondition: null,
        reason: "matches (any payment) but rule 'UAH cards' (priority 10) comes first",
      },
    ]);
  });

  it('includes the decision routePayment would make', () => {
    const explanation = explainRouting(rules, makePayment());
    expect(explanation.error).toBeNull();
    expect(explanation.decision).toMatchObject({ ruleId: 'uah', target: { provider: 'interkassa', account: 'DEFAULT' } });
  });

  it('reports a disabled rule that would not match anyway with its failing condition in the reason', () => {
    const explanation = explainRouting([makeRule({ id: 'x', enabled: false, when: { currencies: ['EUR'] } })], makePayment());
    expect(explanation.rules[0]).toMatchObject({ matched: false, failedCondition: 'enabled', reason: 'disabled; also currency UAH is not one of EUR' });
  });

  it('reports ROUTING_NO_MATCH as an error instead of throwing', () => {
    const explanation = explainRouting([rules[1]], makePayment());
    expect(explanation.decision).toBeNull();
    expect(explanation.error).toMatchObject({ code: ErrorCode.ROUTING_NO_MATCH });
  });

  it('uses the availability check when given, reporting per-target reasons', () => {
    const explanation = explainRouting(rules, makePayment(), () => ({ available: false, reason: 'config disabled' }));
    expect(explanation.rules.find((r) => r.selected)?.ruleId).toBe('uah');
    expect(explanation.error).toEqual({
      code: ErrorCode.ROUTING_NO_AVAILABLE_TARGET,
      message: "Routing rule 'UAH cards' matched but none of its targets or fallbacks is available: interkassa/DEFAULT (config disabled)",
      details: [{ field: 'interkassa/DEFAULT', issue: 'config disabled' }],
    });
  });

  it('explains an empty rule list', () => {
    expect(explainRouting([], makePayment())).toMatchObject({ rules: [], decision: null, error: { code: ErrorCode.ROUTING_NO_MATCH } });
  });
});
