import { DomainError, ErrorCode } from '@payhub/common';
import { type CardBrand, type PaywayMapping, readPaywayMapping } from '@payhub/domain';

export { DEFAULT_PAYWAY_MAPPING, type PaywayMapping } from '@payhub/domain';

/** The stored or given mapping, or VALIDATION_FAILED naming every bad entry (see readPaywayMapping). */
export function parsePaywayMapping(raw: string | null | undefined, field = 'paywayMapping'): PaywayMapping {
  const { mapping, problems } = readPaywayMapping(raw, field);
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
