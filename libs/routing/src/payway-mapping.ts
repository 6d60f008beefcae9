import { DomainError, ErrorCode } from '@payhub/common';
import { CardBrand, isCardBrand } from './card-brand';

/** Keys are `BRAND` or `BRAND_CUR` (e.g. `VISA_UAH`); values are the provider's payway names. */
export type PaywayMapping = ReadonlyMap<string, string>;

export const DEFAULT_PAYWAY_MAPPING = 'VISA->visa,MASTERCARD->mastercard';

const ENTRY = /^([A-Z]+)(?:_([A-Z]{3}))?\s*->\s*([A-Za-z0-9_.:-]+)$/;

/**
 * Parses PaymentIQ's `paywayMapping` string. Blank or absent config means the default mapping; empty
 * entries (a trailing comma) are ignored; anything else that is not a known brand, an optional
 * currency and a payway is refused rather than skipped, so a typo never silently changes routing.
 */
export function parsePaywayMapping(raw: string | null | undefined, field = 'paywayMapping'): PaywayMapping {
  const source = raw?.trim() ? raw : DEFAULT_PAYWAY_MAPPING;
  const mapping = new Map<string, string>();
  const problems: Array<{ field: string; issue: string }> = [];
  for (const entry of source
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const match = ENTRY.exec(entry);
    if (!match) {
      problems.push({ field, issue: `entry "${entry}" is not BRAND->payway or BRAND_CUR->payway` });
      continue;
    }
    const [, brand, currency, payway] = match;
    if (!isCardBrand(brand)) {
      problems.push({ field, issue: `entry "${entry}" names unknown card brand ${brand}` });
      continue;
    }
    const key = currency ? `${brand}_${currency}` : brand;
    if (mapping.has(key)) {
      problems.push({ field, issue: `entry "${entry}" maps ${key} a second time` });
      continue;
    }
    mapping.set(key, payway);
  }
  if (problems.length > 0) throw DomainError.validation(problems, 'The payway mapping is invalid');
  return mapping;
}

/** `BRAND_CUR` beats `BRAND`; no entry is an error, never a guessed payway. */
export function resolvePayway(mapping: PaywayMapping, brand: CardBrand | null, currency: string): string {
  if (brand === null) {
    throw new DomainError(ErrorCode.UNKNOWN_CARD_BRAND, 'The card brand could not be recognised from the card number, so no payway can be chosen');
  }
  const payway = mapping.get(`${brand}_${currency}`) ?? mapping.get(brand);
  if (payway === undefined) {
    throw new DomainError(
      ErrorCode.NO_PAYWAY_MAPPING,
      `No payway is mapped for ${brand} cards in ${currency}: add ${brand}_${currency}->… or ${brand}->… to the provider config's paywayMapping`,
      [{ field: 'paywayMapping', issue: `has no entry for ${brand}_${currency} or ${brand}` }],
    );
  }
  return payway;
}
