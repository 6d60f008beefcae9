import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { currencyExponent, isSupportedCurrency } from './currencies';
import { MAX_MINOR_AMOUNT, toMajorString } from './money';

/** Currencies whose unit is worth less than about a US cent: their ceiling is 10^12 units instead of 10^8. */
const HIGH_DENOMINATION = [
  'BIF',
  'CDF',
  'COP',
  'GNF',
  'IDR',
  'IQD',
  'IRR',
  'KHR',
  'KPW',
  'KRW',
  'LAK',
  'LBP',
  'MGA',
  'MMK',
  'MWK',
  'PYG',
  'SLE',
  'SOS',
  'SYP',
  'TZS',
  'UGX',
  'UZS',
  'VES',
  'VND',
];
const CRYPTO = ['BTC', 'ETH', 'LTC'];

/**
 * The largest single payment payhub accepts in a currency, in minor units: 100 million units of it
 * (1 trillion for high-denomination currencies, 1 million for BTC/ETH/LTC), never past a safe integer.
 * No real payment comes near; an amount beyond it is a unit mistake, refused before any provider sees it.
 */
export function maxMinorAmount(currency: string): bigint {
  const majorCeiling = HIGH_DENOMINATION.includes(currency) ? 10n ** 12n : CRYPTO.includes(currency) ? 10n ** 6n : 10n ** 8n;
  const ceiling = majorCeiling * 10n ** BigInt(currencyExponent(currency));
  return ceiling < MAX_MINOR_AMOUNT ? ceiling : MAX_MINOR_AMOUNT;
}

/** "1000 (10.00 EUR)": minor units as sent, with what they mean, for messages. */
export function describeAmount(minor: bigint | number | string, currency: string): string {
  return isSupportedCurrency(currency) ? `${minor} (${toMajorString(minor, currency)} ${currency})` : String(minor);
}

/** One issue per wrong amount, saying what to send instead; `null` when the value is a valid amount. */
export function amountIssue(value: unknown, currency: unknown, min = 1): string | null {
  const known = typeof currency === 'string' && isSupportedCurrency(currency);
  const example = known ? `1000 = ${toMajorString(1000, currency)} ${currency}` : '1000 = 10.00 in a 2-decimal currency';
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()))
    return `must be a JSON number of minor units, not a string: ${value.trim()}, not "${value}"`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `must be an integer number of minor units (${example})`;
  if (!Number.isInteger(value)) return `must be a whole number of minor units (${example}), not ${value}`;
  if (value < min) return `must be at least ${min}`;
  const max = known ? maxMinorAmount(currency) : MAX_MINOR_AMOUNT;
  if (!Number.isSafeInteger(value) || BigInt(value) > max) return `must be at most ${known ? describeAmount(max, currency) : max}`;
  return null;
}

/**
 * An amount in integer minor units, checked against the payment's currency (read from `currencyProperty`
 * of the same object) with exactly one issue when wrong.
 */
export function IsMinorAmount(options: { currencyProperty?: string; min?: number } = {}, validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isMinorAmount',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => amountIssue(value, currencyOf(args, options.currencyProperty), options.min) === null,
        defaultMessage: (args: ValidationArguments) => amountIssue(args.value, currencyOf(args, options.currencyProperty), options.min) ?? '',
      },
    });
}

function currencyOf(args: ValidationArguments, property: string | undefined): unknown {
  return property ? (args.object as Record<string, unknown>)[property] : undefined;
}

/** One issue per wrong currency code: "uah" is told to be upper-case rather than unknown. */
export function currencyIssue(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be an ISO 4217 currency code string such as EUR';
  if (isSupportedCurrency(value)) return null;
  if (isSupportedCurrency(value.toUpperCase())) return `must be upper-case: ${value.toUpperCase()}, not ${value}`;
  return 'must be a supported ISO 4217 currency code such as EUR (see GET /v1/payment-methods)';
}

export function IsCurrencyCode(validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCurrencyCode',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => currencyIssue(value) === null,
        defaultMessage: (args: ValidationArguments) => currencyIssue(args.value) ?? '',
      },
    });
}
