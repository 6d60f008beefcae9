import { currencyExponent, DomainError, ErrorCode, fromMajorString } from '@payhub/common';

/** Interkassa states purse money with 4 decimals; below a minor unit nothing can be reconciled, so it is cut off. */
export function truncatedMinor(major: string, currency: string): bigint {
  const exponent = currencyExponent(currency);
  const match = /^(-?\d+)(?:\.(\d+))?$/.exec(major.trim());
  if (!match) throw new DomainError(ErrorCode.PROVIDER_ERROR, `Interkassa stated an unreadable amount "${major}"`);
  return fromMajorString(`${match[1]}${exponent ? `.${(match[2] ?? '').slice(0, exponent)}` : ''}`.replace(/\.$/, ''), currency);
}

/** Amount and currency as Interkassa states them; an amount that does not read in that currency is null. */
export function reportedMoney(
  major: string | null | undefined,
  currency: string | null | undefined,
  txCurrency: string,
): { amount: bigint | null; currency: string | null } {
  const code = currency ? currency.trim().toUpperCase() : null;
  // ik_cur may be left out when the checkout has one currency: the amount is then read in the payment's.
  const readIn = code ?? txCurrency;
  if (!major || !isKnownCurrency(readIn)) return { amount: null, currency: code };
  try {
    return { amount: fromMajorString(major, readIn), currency: code };
  } catch {
    return { amount: null, currency: code };
  }
}

export function isKnownCurrency(code: string): boolean {
  try {
    currencyExponent(code);
    return true;
  } catch {
    return false;
  }
}
