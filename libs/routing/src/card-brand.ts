import { normalizePan } from './luhn';

import type { CardBrand } from '@payhub/domain';

export { CARD_BRANDS, type CardBrand, isCardBrand } from '@payhub/domain';

interface IinRange {
  brand: CardBrand;
  from: number;
  to: number;
  /** Digits of the PAN the range is written in. */
  digits: number;
}

const range = (brand: CardBrand, from: number, to = from): IinRange => ({ brand, from, to, digits: String(from).length });

/**
 * Precedence: the longest matching prefix wins, so a specific range carved out of a broader one
 * belongs to the specific brand:
 * - 6011 DISCOVER beats 60 RUPAY;
 * - 652150–653149 RUPAY beats 65 DISCOVER (the rest of 65 stays DISCOVER);
 * - 508 RUPAY beats 50 MAESTRO;
 * - 2200–2204 MIR and 2221–2720 MASTERCARD do not overlap; 2205–2220 is unassigned (null);
 * - 62 is UNIONPAY throughout, including 622126–622925 which Discover also accepts: the issuer network is UnionPay;
 * - 3528–3589 is JCB, also where RuPay co-brands inside it (353, 356).
 */
const IIN_RANGES: readonly IinRange[] = [
  range('VISA', 4),
  range('MASTERCARD', 51, 55),
  range('MASTERCARD', 2221, 2720),
  range('MIR', 2200, 2204),
  range('AMEX', 34),
  range('AMEX', 37),
  range('DINERS', 300, 305),
  range('DINERS', 3095),
  range('DINERS', 36),
  range('DINERS', 38, 39),
  range('JCB', 3528, 3589),
  range('DISCOVER', 6011),
  range('DISCOVER', 644, 649),
  range('DISCOVER', 65),
  range('UNIONPAY', 62),
  range('RUPAY', 60),
  range('RUPAY', 508),
  range('RUPAY', 652150, 653149),
  range('RUPAY', 81, 82),
  range('MAESTRO', 50),
  range('MAESTRO', 56, 58),
  range('MAESTRO', 6304),
  range('MAESTRO', 6390),
  range('MAESTRO', 67),
].toSorted((a, b) => b.digits - a.digits);

/** Brand from the leading digits; null for an unknown network or anything that is not digits. */
export function detectCardBrand(pan: string): CardBrand | null {
  const digits = normalizePan(pan);
  if (!/^\d+$/.test(digits)) return null;
  for (const r of IIN_RANGES) {
    if (digits.length < r.digits) continue;
    const prefix = Number(digits.slice(0, r.digits));
    if (prefix >= r.from && prefix <= r.to) return r.brand;
  }
  return null;
}
