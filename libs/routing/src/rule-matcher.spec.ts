import { TxType } from '@payhub/transactions';
import { evaluateRule, orderRules, RuleConditions, ruleMatches } from '@payhub/routing';
import { makePayment } from './testing/routing-fixtures';

const failure = (when: RuleConditions, payment = makePayment()) => {
  const result = evaluateRule(when, payment);
  return result.matched ? null : { condition: result.failedCondition, issue: result.issue };
};

describe('evaluateRule', () => {
  it('matches everything when no condition is set or lists are empty', () => {
    expect(evaluateRule({}, makePayment())).toEqual({ matched: true, matchedOn: [] });
    const empty: RuleConditions = { txTypes: [], services: [], currencies: [], countries: [], cardBrands: [], binPrefixes: [] };
    expect(evaluateRule(empty, makePayment({ cardBrand: null, bin: null, country: null }))).toEqual({ matched: true, matchedOn: [] });
  });

  it('matches when every condition holds and lists what it matched on', () => {
    const when: RuleConditions = {
      txTypes: [TxType.CreditcardDeposit],
      currencies: ['UAH'],
      countries: ['UA'],
      cardBrands: ['VISA', 'MASTERCARD'],
      binPrefixes: ['5555', '4111'],
      amountMin: 100,
      amountMax: 10000000,
    };
    expect(evaluateRule(when, makePayment())).toEqual({
      matched: true,
      matchedOn: [
        'txType CreditcardDeposit',
        'currency UAH',
        'country UA',
        'brand VISA',
        'BIN starts with 4111',
        'amount 150000 ≥ 100',
        'amount 150000 ≤ 10000000',
      ],
    });
  });

  it('reports the first failing condition only', () => {
    expect(failure({ txTypes: [TxType.WalletDeposit], currencies: ['EUR'] })).toEqual({
      condition: 'txTypes',
      issue: 'txType CreditcardDeposit is not one of WalletDeposit',
    });
  });

  it('checks each condition', () => {
    expect(failure({ currencies: ['EUR', 'USD'] })).toEqual({ condition: 'currencies', issue: 'currency UAH is not one of EUR, USD' });
    expect(failure({ countries: ['IN'] })).toEqual({ condition: 'countries', issue: 'country UA is not one of IN' });
    expect(failure({ cardBrands: ['MASTERCARD'] })).toEqual({ condition: 'cardBrands', issue: 'brand VISA is not one of MASTERCARD' });
    expect(failure({ binPrefixes: ['5'] })).toEqual({ condition: 'binPrefixes', issue: 'BIN 411111 does not start with any of 5' });
    expect(failure({ services: ['UPI'] })).toEqual({ condition: 'services', issue: 'service none is not one of UPI' });
  });

  it('treats amount bounds as inclusive, comparing bigint minor units', () => {
    expect(evaluateRule({ amountMin: 150000, amountMax: 150000 }, makePayment()).matched).toBe(true);
    expect(failure({ amountMin: 150001 })).toEqual({ condition: 'amountMin', issue: 'amount 150000 is below amountMin 150001' });
    expect(failure({ amountMax: 149999 })).toEqual({ condition: 'amountMax', issue: 'amount 150000 is above amountMax 149999' });
    expect(evaluateRule({ amountMax: Number.MAX_SAFE_INTEGER }, makePayment({ amount: 9007199254740991n })).matched).toBe(true);
    expect(evaluateRule({ amountMax: Number.MAX_SAFE_INTEGER - 1 }, makePayment({ amount: 9007199254740991n })).matched).toBe(false);
  });

  it('never matches a constrained condition when the payment lacks the field', () => {
    const wallet = makePayment({ txType: TxType.WalletDeposit, cardBrand: null, bin: null, country: null });
    expect(failure({ cardBrands: ['VISA'] }, wallet)?.issue).toBe('brand none is not one of VISA');
    expect(failure({ binPrefixes: ['4'] }, wallet)?.issue).toBe('BIN none does not start with any of 4');
    expect(failure({ countries: ['UA'] }, wallet)?.issue).toBe('country none is not one of UA');
  });

  it('compares services and countries case-insensitively', () => {
    const payment = makePayment({ txType: TxType.WalletDeposit, service: 'PayTM', country: 'in' });
    expect(evaluateRule({ services: ['paytm', 'UPI'], countries: ['IN'] }, payment)).toEqual({ matched: true, matchedOn: ['service PayTM', 'country IN'] });
  });

  it('needs an 8-digit BIN for an 8-digit prefix', () => {
    expect(evaluateRule({ binPrefixes: ['41111111'] }, makePayment({ bin: '411111' })).matched).toBe(false);
    expect(evaluateRule({ binPrefixes: ['41111111'] }, makePayment({ bin: '41111111' })).matched).toBe(true);
  });
});

describe('orderRules', () => {
  it('sorts by priority ascending and keeps list order on ties', () => {
    const rules = [
      { id: 'a', priority: 20 },
      { id: 'b', priority: 10 },
      { id: 'c', priority: 20 },
      { id: 'd', priority: 5 },
      { id: 'e', priority: 10 },
    ];
    expect(orderRules(rules).map((r) => r.id)).toEqual(['d', 'b', 'e', 'a', 'c']);
  });

  it("does not reorder the caller's array", () => {
    const rules = [{ priority: 2 }, { priority: 1 }];
    orderRules(rules);
    expect(rules.map((r) => r.priority)).toEqual([2, 1]);
  });
});

describe('ruleMatches agrees with evaluateRule', () => {
  it('on random rules and payments', () => {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];
    const some = <T>(list: readonly T[]): T[] => list.filter(() => Math.random() < 0.4);
    for (let i = 0; i < 5000; i++) {
      const when = {
        txTypes: some([TxType.CreditcardDeposit, TxType.WalletDeposit, TxType.BankDeposit]),
        services: Math.random() < 0.3 ? some(['UPI', 'paytm', 'NET_BANKING']) : undefined,
        currencies: some(['UAH', 'INR', 'EUR']),
        countries: Math.random() < 0.3 ? some(['UA', 'IN']) : undefined,
        cardBrands: Math.random() < 0.5 ? some(['VISA', 'MASTERCARD'] as const) : undefined,
        binPrefixes: Math.random() < 0.3 ? some(['4', '41', '5555']) : undefined,
        amountMin: Math.random() < 0.5 ? pick([0, 100, 100000]) : undefined,
        amountMax: Math.random() < 0.5 ? pick([1000, 200000, 10000000]) : undefined,
      };
      const payment = {
        txId: `tx_${i}`,
        txType: pick([TxType.CreditcardDeposit, TxType.WalletDeposit, TxType.BankDeposit]),
        service: pick([null, 'upi', 'paytm', 'NET_BANKING']),
        amount: BigInt(pick([50, 150000, 5000000, 20000000])),
        currency: pick(['UAH', 'INR', 'EUR']),
        country: pick([null, 'UA', 'IN']),
        cardBrand: pick([null, 'VISA', 'MASTERCARD'] as const),
        bin: pick([null, '41111111', '55555555']),
      };
      expect(ruleMatches(when, payment)).toBe(evaluateRule(when, payment).matched);
    }
  });
});
