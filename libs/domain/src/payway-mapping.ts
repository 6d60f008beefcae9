/** The card brands payhub recognises from a PAN's IIN (libs/routing's card-brand table) and routes on. */
export const CARD_BRANDS = ['VISA', 'MASTERCARD', 'MAESTRO', 'AMEX', 'DISCOVER', 'JCB', 'DINERS', 'UNIONPAY', 'MIR', 'RUPAY'] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

export function isCardBrand(value: string): value is CardBrand {
  return (CARD_BRANDS as readonly string[]).includes(value);
}

/** Keys are `BRAND` or `BRAND_CUR` (e.g. `VISA_UAH`); values are the provider's payway names. */
export type PaywayMapping = ReadonlyMap<string, string>;

export const DEFAULT_PAYWAY_MAPPING = 'VISA->visa,MASTERCARD->mastercard';

const ENTRY = /^([A-Z]+)(?:_([A-Z]{3}))?\s*->\s*([A-Za-z0-9_.:-]+)$/;

/**
 * Reads PaymentIQ's `paywayMapping` string. Blank or absent means the default mapping; empty entries
 * (a trailing comma) are ignored; anything else that is not a known brand, an optional currency and a
 * payway is a problem rather than skipped, so a typo never silently changes routing. One reading for
 * both places that need it: the config validator (refused when stored) and routing (at payment time).
 */
export function readPaywayMapping(
  raw: string | null | undefined,
  field = 'paywayMapping',
): { mapping: PaywayMapping; problems: Array<{ field: string; issue: string }> } {
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
  return { mapping, problems };
}
