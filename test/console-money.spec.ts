import { formatMoney, parseMajor } from '../apps/console/src/money';

/** The console's money: major units with each currency's exponent from libs/common, exact to the minor unit. */
describe('console money', () => {
  it.each([
    ['JPY', 150004, '150,004 JPY'],
    ['USD', 150004, '1,500.04 USD'],
    ['KWD', 150004, '150.004 KWD'],
    ['BTC', 150004, '0.00150004 BTC'],
    ['USD', 5, '0.05 USD'],
    ['BTC', Number.MAX_SAFE_INTEGER, '90,071,992.54740991 BTC'],
  ])('shows %s %d as %s', (currency, minor, shown) => {
    expect(formatMoney(minor, currency)).toBe(shown);
  });

  it.each([
    ['JPY', '1,500', 1500n],
    ['USD', '10.5', 1050n],
    ['USD', '0.07', 7n],
    ['KWD', '1.005', 1005n],
    ['BTC', '0.00000001', 1n],
    ['BTC', '12.3', 1230000000n],
  ])('reads %s "%s" as %s minor units', (currency, typed, minor) => {
    expect(parseMajor(typed, currency)).toEqual({ minor });
  });

  it.each([
    ['JPY', '1.5', 'JPY has no decimals'],
    ['USD', '1.005', 'at most 2 decimals'],
    ['KWD', '0.0001', 'at most 3 decimals'],
    ['BTC', '0.000000001', 'at most 8 decimals'],
    ['USD', '-1', 'positive amount'],
    ['USD', '1e3', 'positive amount'],
    ['USD', '', 'Enter an amount'],
  ])('refuses %s "%s"', (currency, typed, message) => {
    const parsed = parseMajor(typed, currency);
    expect('error' in parsed && parsed.error).toContain(message);
  });
});
