import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@payhub/common';
import { TxType } from '@payhub/transactions';
import { routePayment, TargetAvailabilityCheck, TargetRef } from '@payhub/routing';
import { catchDomainError } from '../../../test/support/catch-domain-error';
import { makePayment, makeRule } from './testing/routing-fixtures';

const allAvailable: TargetAvailabilityCheck = () => ({ available: true });
const unavailable =
  (reasons: Record<string, string>): TargetAvailabilityCheck =>
  (t: TargetRef) => {
    const reason = reasons[`${t.provider}/${t.account}`];
    return reason === undefined ? { available: true } : { available: false, reason };
  };

const uahCards = () =>
  makeRule({
    id: 'rule_uah',
    name: 'UAH cards',
    priority: 10,
    when: { txTypes: [TxType.CreditcardDeposit], currencies: ['UAH'], cardBrands: ['VISA', 'MASTERCARD'] },
    then: {
      targets: [
        { provider: 'interkassa', account: 'DEFAULT', weight: 70 },
        { provider: 'kasha', account: 'DEFAULT', weight: 30 },
      ],
      fallback: [
        { provider: 'paykassma', account: 'MAIN' },
        { provider: 'kasha', account: 'DEFAULT' },
      ],
    },
  });

describe('routePayment', () => {
  it('picks the first enabled matching rule by priority', () => {
    const rules = [
      makeRule({ id: 'late', priority: 50 }),
      makeRule({ id: 'off', priority: 1, enabled: false }),
      makeRule({ id: 'eur', priority: 5, when: { currencies: ['EUR'] } }),
      makeRule({ id: 'first', priority: 10 }),
      makeRule({ id: 'tie', priority: 10 }),
    ];
    expect(routePayment(rules, makePayment(), allAvailable).ruleId).toBe('first');
  });

  it('keeps list order on equal priorities', () => {
    const rules = [makeRule({ id: 'b', priority: 10 }), makeRule({ id: 'a', priority: 10 })];
    expect(routePayment(rules, makePayment(), allAvailable).ruleId).toBe('b');
  });

  it('returns the target, the available fallbacks without the chosen one, and a readable reason', () => {
    const rule = uahCards();
    const idFor = (provider: string) =>
      Array.from({ length: 1000 }, (_, i) => `tx_${i}`).find((txId) => routePayment([rule], makePayment({ txId }), allAvailable).target.provider === provider)!;

    const toInterkassa = routePayment([rule], makePayment({ txId: idFor('interkassa') }), allAvailable);
    expect(toInterkassa).toEqual({
      ruleId: 'rule_uah',
      ruleName: 'UAH cards',
      target: { provider: 'interkassa', account: 'DEFAULT' },
      fallback: [
        { provider: 'paykassma', account: 'MAIN' },
        { provider: 'kasha', account: 'DEFAULT' },
      ],
      reason: "rule 'UAH cards' (priority 10) matched: txType CreditcardDeposit, currency UAH, brand VISA; picked interkassa/DEFAULT by weight 70/100",
    });

    const toKasha = routePayment([rule], makePayment({ txId: idFor('kasha') }), allAvailable);
    expect(toKasha.target).toEqual({ provider: 'kasha', account: 'DEFAULT' });
    expect(toKasha.fallback).toEqual([{ provider: 'paykassma', account: 'MAIN' }]);
    expect(toKasha.reason).toMatch(/picked kasha\/DEFAULT by weight 30\/100$/);
  });

  it('says "any payment" for a rule without conditions', () => {
    expect(routePayment([makeRule({ name: 'catch-all', priority: 99 })], makePayment(), allAvailable).reason).toBe(
      "rule 'catch-all' (priority 99) matched: any payment; picked interkassa/DEFAULT by weight 100/100",
    );
  });

  it('routes a retry of the same transaction the same way', () => {
    const rule = uahCards();
    for (let i = 0; i < 20; i++) {
      const payment = makePayment({ txId: `tx_${randomUUID()}` });
      expect(routePayment([rule], payment, allAvailable)).toEqual(routePayment([rule], { ...payment }, allAvailable));
    }
  });

  it('splits 10,000 random payments by the rule weights within ±2%', () => {
    const rule = uahCards();
    let interkassa = 0;
    for (let i = 0; i < 10_000; i++) {
      if (routePayment([rule], makePayment({ txId: `tx_${randomUUID()}` }), allAvailable).target.provider === 'interkassa') interkassa += 1;
    }
    expect(Math.abs(interkassa / 10_000 - 0.7)).toBeLessThanOrEqual(0.02);
  });

  it('picks among available targets only, renormalising the weights, and says what it skipped', () => {
    const decision = routePayment([uahCards()], makePayment(), unavailable({ 'interkassa/DEFAULT': 'account does not support UAH' }));
    expect(decision.target).toEqual({ provider: 'kasha', account: 'DEFAULT' });
    expect(decision.reason).toContain('picked kasha/DEFAULT by weight 30/30; skipped interkassa/DEFAULT (account does not support UAH)');
  });

  it('filters fallbacks by availability, keeping their order', () => {
    const rule = makeRule({
      then: {
        targets: [{ provider: 'interkassa', account: 'DEFAULT', weight: 1 }],
        fallback: [
          { provider: 'kasha', account: 'A' },
          { provider: 'kasha', account: 'B' },
          { provider: 'paykassma', account: 'C' },
        ],
      },
    });
    expect(routePayment([rule], makePayment(), unavailable({ 'kasha/B': 'config disabled' })).fallback).toEqual([
      { provider: 'kasha', account: 'A' },
      { provider: 'paykassma', account: 'C' },
    ]);
  });

  it('uses the first available fallback when no target is available (nothing was sent to them)', () => {
    const rule = makeRule({
      name: 'with fallback',
      then: {
        targets: [{ provider: 'interkassa', account: 'DEFAULT', weight: 1 }],
        fallback: [
          { provider: 'kasha', account: 'A' },
          { provider: 'paykassma', account: 'B' },
          { provider: 'kasha', account: 'C' },
        ],
      },
    });
    const decision = routePayment([rule], makePayment(), unavailable({ 'interkassa/DEFAULT': 'config disabled', 'kasha/A': 'no CreditcardDeposit' }));
    expect(decision.target).toEqual({ provider: 'paykassma', account: 'B' });
    expect(decision.fallback).toEqual([{ provider: 'kasha', account: 'C' }]);
    expect(decision.reason).toMatch(/; no target available \(interkassa\/DEFAULT \(config disabled\)\); using fallback paykassma\/B$/);
  });

  it('throws ROUTING_NO_AVAILABLE_TARGET with a reason per target when nothing is available', () => {
    const rule = uahCards();
    const error = catchDomainError(() => routePayment([rule], makePayment(), () => ({ available: false, reason: 'provider cannot do CreditcardDeposit' })));
    expect(error.code).toBe(ErrorCode.ROUTING_NO_AVAILABLE_TARGET);
    expect(error.message).toContain("Routing rule 'UAH cards' matched but none of its targets or fallbacks is available");
    expect(error.details).toEqual([
      { field: 'interkassa/DEFAULT', issue: 'provider cannot do CreditcardDeposit' },
      { field: 'kasha/DEFAULT', issue: 'provider cannot do CreditcardDeposit' },
      { field: 'paykassma/MAIN', issue: 'provider cannot do CreditcardDeposit' },
      { field: 'kasha/DEFAULT', issue: 'provider cannot do CreditcardDeposit' },
    ]);
    expect(error.meta).toEqual({ ruleId: 'rule_uah', ruleName: 'UAH cards' });
  });

  it('says "unavailable" when the check gives no reason', () => {
    const error = catchDomainError(() => routePayment([makeRule()], makePayment(), () => ({ available: false })));
    expect(error.details).toEqual([{ field: 'interkassa/DEFAULT', issue: 'unavailable' }]);
  });

  it('does not fall through to a later rule when the winner has nothing available', () => {
    const rules = [makeRule({ priority: 1 }), makeRule({ priority: 2, then: { targets: [{ provider: 'kasha', account: 'DEFAULT', weight: 1 }] } })];
    const error = catchDomainError(() => routePayment(rules, makePayment(), unavailable({ 'interkassa/DEFAULT': 'config disabled' })));
    expect(error.code).toBe(ErrorCode.ROUTING_NO_AVAILABLE_TARGET);
  });

  it('asks the availability check with provider and account only', () => {
    const seen: TargetRef[] = [];
    routePayment([uahCards()], makePayment(), (t) => {
      seen.push(t);
      return { available: true };
    });
    expect(seen).toEqual([
      { provider: 'interkassa', account: 'DEFAULT' },
      { provider: 'kasha', account: 'DEFAULT' },
      { provider: 'paykassma', account: 'MAIN' },
      { provider: 'kasha', account: 'DEFAULT' },
    ]);
  });

  it('throws ROUTING_NO_MATCH describing the payment when no enabled rule matches', () => {
    const rules = [makeRule({ enabled: false }), makeRule({ when: { currencies: ['EUR'] } })];
    const error = catchDomainError(() => routePayment(rules, makePayment(), allAvailable));
    expect(error.code).toBe(ErrorCode.ROUTING_NO_MATCH);
    expect(error.message).toBe('No enabled routing rule matches this payment (CreditcardDeposit, 1500.00 UAH, country UA, brand VISA, BIN 411111)');
  });

  it('throws ROUTING_NO_MATCH for no rules at all', () => {
    expect(catchDomainError(() => routePayment([], makePayment(), allAvailable)).code).toBe(ErrorCode.ROUTING_NO_MATCH);
  });
});
