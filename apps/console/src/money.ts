import { currencyExponent, isSupportedCurrency } from '../../../libs/common/src/money/currencies';
import { fromMajorString, toMajorString } from '../../../libs/common/src/money/money';

/**
 * Money in the console: shown and typed in major units with the currency's exponent from payhub's one
 * currency table (libs/common), sent and received in integer minor units. Never through a float.
 */
export function formatMoney(minor: number | string | bigint | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) return '—';
  if (!isSupportedCurrency(currency)) return `${minor} (minor units) ${currency}`;
  const text = toMajorString(BigInt(minor), currency);
  const [whole, fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${fraction === undefined ? grouped : `${grouped}.${fraction}`} ${currency}`;
}

/** Major units typed by a person ("12.5", "1,200.50") to minor units; an error message instead when it cannot be exact. */
export function parseMajor(input: string, currency: string): { minor: bigint } | { error: string } {
  const text = input.trim().replace(/,/g, '');
  if (!text) return { error: 'Enter an amount' };
  if (!/^\d+(\.\d+)?$/.test(text)) return { error: 'Enter a positive amount in digits, with a dot for decimals' };
  try {
    return { minor: fromMajorString(text, currency) };
  } catch {
    const exponent = currencyExponent(currency);
    return { error: exponent === 0 ? `${currency} has no decimals` : `${currency} has at most ${exponent} decimals` };
  }
}

/** Minor units as the plain major-unit string an input holds ("1234.50"). */
export function majorInput(minor: number | bigint, currency: string): string {
  return toMajorString(BigInt(minor), currency);
}

export function exponentOf(currency: string): number | null {
  return isSupportedCurrency(currency) ? currencyExponent(currency) : null;
}
