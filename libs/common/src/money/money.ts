import { currencyExponent } from './currencies';

/** Largest amount payhub accepts in minor units: fits a signed BIGINT column and a JS safe integer. */
export const MAX_MINOR_AMOUNT = BigInt(Number.MAX_SAFE_INTEGER);

export type MinorAmount = bigint;

/** Parses minor units from a DB value or API integer; refuses fractions, floats and overflow. */
export function toMinor(value: bigint | number | string): MinorAmount {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`Amount ${value} is not a safe integer`);
    return BigInt(value);
  }
  if (!/^-?\d+$/.test(value)) throw new RangeError(`Amount "${value}" is not an integer`);
  return BigInt(value);
}

/**
 * Minor units to the provider's decimal string: 1000 INR -> "10.00", 1000 JPY -> "1000",
 * 1500 KWD -> "1.500", 1 BTC satoshi -> "0.00000001". Only called at the provider edge.
 */
export function toMajorString(minor: bigint | number | string, currency: string): string {
  const exponent = currencyExponent(currency);
  const value = toMinor(minor);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, digits.length - exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(digits.length - exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * A provider's decimal string back to minor units, exactly: "10.5" INR -> 1050n. More decimals than
 * the currency has (other than trailing zeros) is an error, never a rounding.
 */
export function fromMajorString(major: string | number, currency: string): MinorAmount {
  const exponent = currencyExponent(currency);
  const text = typeof major === 'number' ? numberToPlainString(major) : major.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a decimal amount`);
  const [, sign, whole, rawFraction = ''] = match;
  const fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length > exponent) {
    throw new RangeError(`"${text}" has more decimals than ${currency} allows (${exponent})`);
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, '0'));
  return sign === '-' ? -minor : minor;
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite amount`);
  // toPrecision(15) keeps decimal inputs like 10.1 exact without binary noise such as 10.0999999.
  return Number(value.toPrecision(15)).toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/**
 * Minor units as a JSON number for payhub's own API. Every stored amount is at most MAX_MINOR_AMOUNT,
 * so this never loses a digit; it throws rather than round if that ever stops holding.
 */
export function asJsonInteger(minor: bigint): number {
  if (minor > MAX_MINOR_AMOUNT || minor < -MAX_MINOR_AMOUNT) throw new RangeError(`Amount ${minor} is beyond a safe JSON integer`);
  return Number(minor);
}

/**
 * A major-unit amount as a JSON number, for provider APIs that demand one (`"amount": 250.5`). Only
 * built from the exact decimal string, and refused unless the number reads back to the same minor
 * units, so a float can never change the amount sent.
 */
export function asJsonMajor(minor: bigint | number | string, currency: string): number {
  const text = toMajorString(minor, currency);
  const value = Number(text);
  if (fromMajorString(String(value), currency) !== toMinor(minor)) throw new RangeError(`${text} ${currency} cannot be sent as a JSON number exactly`);
  return value;
}
