import { ErrorCode } from '@payhub/common';
import { TxType } from '@payhub/transactions';
import { RoutingRuleDto, RoutingRulesDto, validateDto } from '@payhub/routing';
import { catchDomainError } from '../../../test/support/catch-domain-error';

const designRule = () => ({
  name: 'UAH cards',
  priority: 10,
  enabled: true,
  when: {
    txTypes: ['CreditcardDeposit'],
    services: [],
    currencies: ['UAH'],
    countries: [],
    cardBrands: ['VISA', 'MASTERCARD'],
    binPrefixes: [],
    amountMin: 100,
    amountMax: 10000000,
  },
  then: {
    targets: [{ provider: 'interkassa', account: 'DEFAULT', weight: 100 }],
    fallback: [{ provider: 'kasha', account: 'DEFAULT' }],
  },
});

type Plain = Record<string, any>;
const withRule = (change: (rule: Plain) => void): Plain => {
  const rule: Plain = designRule();
  change(rule);
  return { rules: [rule] };
};

/** Fields with at least one issue, in report order, each once. */
const fieldsOf = (body: unknown): string[] => [...new Set(catchDomainError(() => validateDto(RoutingRulesDto, body)).details.map((d) => d.field))];

describe('RoutingRulesDto', () => {
  it('accepts the rule exactly as DESIGN §7 shows it, as class instances', () => {
    const dto = validateDto(RoutingRulesDto, { rules: [designRule()] });
    expect(dto.rules[0]).toBeInstanceOf(RoutingRuleDto);
    expect(dto.rules[0].when.txTypes).toEqual([TxType.CreditcardDeposit]);
    expect(dto.rules[0].then.targets[0]).toEqual({ provider: 'interkassa', account: 'DEFAULT', weight: 100 });
  });

  it('accepts an empty list, which clears routing', () => {
    expect(validateDto(RoutingRulesDto, { rules: [] }).rules).toEqual([]);
  });

  it('accepts absent conditions and fallback as "any" / "none"', () => {
    const dto = validateDto(
      RoutingRulesDto,
      withRule((r) => {
        r.when = {};
        delete r.then.fallback;
      }),
    );
    expect(dto.rules[0].when).toEqual({});
    expect(dto.rules[0].then.fallback).toBeUndefined();
  });

  it('accepts crypto currencies from the currency table', () => {
    expect(() =>
      validateDto(
        RoutingRulesDto,
        withRule((r) => (r.when.currencies = ['USDT', 'BTC'])),
      ),
    ).not.toThrow();
  });

  it('refuses a body without rules or not an object', () => {
    expect(fieldsOf({})).toEqual(['rules']);
    expect(catchDomainError(() => validateDto(RoutingRulesDto, [designRule()])).details).toEqual([{ field: 'body', issue: 'must be a JSON object' }]);
  });

  it('refuses unknown fields anywhere', () => {
    expect(fieldsOf({ ...withRule((r) => (r.when.currency = 'UAH')), extra: 1 })).toEqual(['extra', 'rules[0].when.currency']);
  });

  it('requires name, priority, enabled, when and then', () => {
    expect(new Set(fieldsOf({ rules: [{}] }))).toEqual(new Set(['rules[0].name', 'rules[0].priority', 'rules[0].enabled', 'rules[0].when', 'rules[0].then']));
  });

  it('refuses wrong types without converting them', () => {
    expect(
      fieldsOf(
        withRule((r) => {
          r.priority = '10';
          r.enabled = 'true';
          r.when.amountMin = '100';
        }),
      ),
    ).toEqual(['rules[0].priority', 'rules[0].enabled', 'rules[0].when.amountMin']);
  });

  it('refuses negative and fractional amounts and amountMin above amountMax', () => {
    expect(fieldsOf(withRule((r) => (r.when.amountMin = -1)))).toEqual(['rules[0].when.amountMin']);
    expect(fieldsOf(withRule((r) => (r.when.amountMax = 10.5)))).toEqual(['rules[0].when.amountMax']);
    const error = catchDomainError(() =>
      validateDto(
        RoutingRulesDto,
        withRule((r) => Object.assign(r.when, { amountMin: 500, amountMax: 499 })),
      ),
    );
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.details).toEqual([{ field: 'rules[0].when.amountMax', issue: 'amountMax must not be less than amountMin' }]);
  });

  it('accepts amountMin equal to amountMax and a single bound', () => {
    expect(() =>
      validateDto(
        RoutingRulesDto,
        withRule((r) => Object.assign(r.when, { amountMin: 500, amountMax: 500 })),
      ),
    ).not.toThrow();
    expect(() =>
      validateDto(
        RoutingRulesDto,
        withRule((r) => delete r.when.amountMin),
      ),
    ).not.toThrow();
  });

  it.each([0, 10001, 1.5, -3])('refuses weight %p', (weight) => {
    expect(fieldsOf(withRule((r) => (r.then.targets[0].weight = weight)))).toEqual(['rules[0].then.targets[0].weight']);
  });

  it('accepts weights 1 and 10000', () => {
    expect(() =>
      validateDto(
        RoutingRulesDto,
        withRule((r) => r.then.targets.push({ provider: 'kasha', account: 'A', weight: 1 }, { provider: 'paykassma', account: 'B', weight: 10000 })),
      ),
    ).not.toThrow();
  });

  it('requires at least one target', () => {
    expect(fieldsOf(withRule((r) => (r.then.targets = [])))).toEqual(['rules[0].then.targets']);
    expect(fieldsOf(withRule((r) => delete r.then.targets))).toContain('rules[0].then.targets');
  });

  it('refuses the same provider/account twice among targets and among fallbacks', () => {
    expect(fieldsOf(withRule((r) => r.then.targets.push({ provider: 'interkassa', account: 'DEFAULT', weight: 1 })))).toEqual(['rules[0].then.targets']);
    expect(fieldsOf(withRule((r) => r.then.fallback.push({ provider: 'kasha', account: 'DEFAULT' })))).toEqual(['rules[0].then.fallback']);
  });

  it('refuses a weight on a fallback and a target without provider', () => {
    expect(fieldsOf(withRule((r) => (r.then.fallback[0].weight = 5)))).toEqual(['rules[0].then.fallback[0].weight']);
    expect(fieldsOf(withRule((r) => delete r.then.targets[0].provider))).toEqual(['rules[0].then.targets[0].provider']);
  });

  it.each([['uah'], ['UA'], ['XYZ'], ['EURO']])('refuses currency %p', (currency) => {
    expect(fieldsOf(withRule((r) => (r.when.currencies = [currency])))).toEqual(['rules[0].when.currencies']);
  });

  it.each([['ua'], ['UKR'], ['XX']])('refuses country %p', (country) => {
    expect(fieldsOf(withRule((r) => (r.when.countries = [country]))).every((f) => f === 'rules[0].when.countries')).toBe(true);
  });

  it('accepts ISO alpha-2 countries', () => {
    expect(() =>
      validateDto(
        RoutingRulesDto,
        withRule((r) => (r.when.countries = ['UA', 'IN', 'BD'])),
      ),
    ).not.toThrow();
  });

  it.each([[''], ['123456789'], ['41a1'], [4111]])('refuses BIN prefix %p', (prefix) => {
    expect(fieldsOf(withRule((r) => (r.when.binPrefixes = [prefix])))).toEqual(['rules[0].when.binPrefixes']);
  });

  it('accepts BIN prefixes of 1 to 8 digits', () => {
    expect(() =>
      validateDto(
        RoutingRulesDto,
        withRule((r) => (r.when.binPrefixes = ['4', '411111', '41111111'])),
      ),
    ).not.toThrow();
  });

  it('refuses unknown tx types and card brands', () => {
    expect(
      fieldsOf(
        withRule((r) => {
          r.when.txTypes = ['CardDeposit'];
          r.when.cardBrands = ['VISA', 'ELECTRON'];
        }),
      ),
    ).toEqual(['rules[0].when.txTypes', 'rules[0].when.cardBrands']);
  });

  it('refuses duplicate rule names', () => {
    const body = { rules: [designRule(), { ...designRule(), priority: 20 }] };
    expect(catchDomainError(() => validateDto(RoutingRulesDto, body)).details).toEqual([{ field: 'rules', issue: 'rules must have unique names' }]);
  });

  it('reports errors of several rules at once with their index', () => {
    const second = { ...designRule(), name: 'second', priority: -1 };
    expect(fieldsOf({ rules: [{ ...designRule(), name: '' }, second] })).toEqual(['rules[0].name', 'rules[1].priority']);
  });
});
