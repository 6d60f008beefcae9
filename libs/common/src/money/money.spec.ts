import { currencyExponent, fromMajorString, MAX_MINOR_AMOUNT, asJsonInteger, asJsonMajor, toMajorString, toMinor } from '@payhub/common';

describe('money at the provider edge', () => {
  it.each([
    ['INR', 1000n, '10.00'],
    ['UAH', 150000n, '1500.00'],
    ['JPY', 1000n, '1000'],
    ['PYG', 25000n, '25000'],
    ['KWD', 1500n, '1.500'],
    ['BTC', 1n, '0.00000001'],
    ['USDT', 123456789n, '1.23456789'],
    ['EUR', 5n, '0.05'],
    ['EUR', 0n, '0.00'],
  ])('%s %s minor is "%s" and back', (currency, minor, major) => {
    expect(toMajorString(minor, currency)).toBe(major);
    expect(fromMajorString(major, currency)).toBe(minor);
  });

  it('reads provider numbers without float noise', () => {
    expect(fromMajorString(10.1, 'USD')).toBe(1010n);
    expect(fromMajorString('10.5', 'INR')).toBe(1050n);
    expect(fromMajorString('10.500', 'INR')).toBe(1050n);
  });

  it('refuses more decimals than the currency has instead of rounding', () => {
    expect(() => fromMajorString('10.001', 'USD')).toThrow(/more decimals/);
    expect(() => fromMajorString('1.5', 'JPY')).toThrow(/more decimals/);
    expect(() => fromMajorString('abc', 'USD')).toThrow(/not a decimal/);
  });

  it('knows exponents and refuses unknown currencies', () => {
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('ETH')).toBe(8);
    expect(() => currencyExponent('XXX')).toThrow(/Unknown currency/);
  });

  it('accepts only integers as minor units', () => {
    expect(toMinor('150000')).toBe(150000n);
    expect(() => toMinor(10.5)).toThrow();
    expect(() => toMinor('10.5')).toThrow();
  });

  it('gives providers that want JSON numbers the exact amount, or refuses', () => {
    expect(asJsonMajor(25050n, 'INR')).toBe(250.5);
    expect(JSON.stringify({ amount: asJsonMajor(1999n, 'USD') })).toBe('{"amount":19.99}');
    expect(asJsonMajor(25000n, 'PYG')).toBe(25000);
    expect(() => asJsonMajor(123456789012345678n, 'BTC')).toThrow(/JSON number exactly/);
  });

  it('presents minor units as JSON integers only within the safe range', () => {
    expect(asJsonInteger(150000n)).toBe(150000);
    expect(() => asJsonInteger(MAX_MINOR_AMOUNT + 1n)).toThrow(RangeError);
  });
});
