import { DomainError } from '@payhub/common';
import { CardBrand, detectCardBrand } from './card-brand';
import { luhnValid, normalizePan } from './luhn';

/** What payhub may keep of a card: never the PAN itself. */
export interface CardSummary {
  brand: CardBrand | null;
  bin: string;
  last4: string;
}

/** Refuses a number that is not 12–19 digits or fails Luhn; an unknown brand is not an error here. */
export function cardSummary(pan: string, field = 'card.number'): CardSummary {
  const digits = normalizePan(pan);
  if (!/^\d{12,19}$/.test(digits)) throw DomainError.validation([{ field, issue: 'must be 12 to 19 digits' }]);
  if (!luhnValid(digits)) throw DomainError.validation([{ field, issue: 'fails the Luhn check' }]);
  return { brand: detectCardBrand(digits), bin: digits.slice(0, 6), last4: digits.slice(-4) };
}
