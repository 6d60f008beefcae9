import 'reflect-metadata';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { DomainError, IsCurrencyCode, newId } from '@payhub/common';
import { TxType } from '@payhub/transactions';
import { CARD_BRANDS, CardBrand, detectCardBrand } from './card-brand';
import { cardSummary } from './card-summary';
import { normalizePan } from './luhn';
import type { RoutingPayment } from './routing.types';

/**
 * Body of `POST /backoffice/merchants/{id}/routing/explain`: a payment as routing sees it. The card is
 * given either as a full number (Luhn-checked, brand and BIN derived, never stored or echoed) or as
 * `cardBrand` and/or `bin`.
 */
export class RoutingSampleDto {
  /** Seeds the weighted pick; give a real transaction id to see how that payment split. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'txId must be 1-64 letters, digits, _ or -' })
  txId?: string;

  @IsEnum(TxType, { message: `txType must be one of ${Object.values(TxType).join(', ')}` })
  txType: TxType;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_]{1,32}$/, { message: 'service must be 1-32 letters, digits or _' })
  service?: string | null;

  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amount: number;

  @IsCurrencyCode()
  currency: string;

  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string | null;

  @IsOptional()
  @IsString()
  cardNumber?: string;

  @IsOptional()
  @IsIn(CARD_BRANDS)
  cardBrand?: CardBrand;

  @IsOptional()
  @Matches(/^\d{6,8}$/, { message: 'bin must be the first 6 to 8 digits of the card number' })
  bin?: string;
}

/** The sample as a RoutingPayment; only brand and BIN are taken from a card number. */
export function samplePayment(sample: RoutingSampleDto, fieldPrefix = ''): RoutingPayment {
  if (sample.cardNumber !== undefined && (sample.cardBrand !== undefined || sample.bin !== undefined)) {
    throw DomainError.validation([{ field: `${fieldPrefix}cardNumber`, issue: 'give either cardNumber or cardBrand/bin, not both' }]);
  }
  let cardBrand: CardBrand | null = sample.cardBrand ?? null;
  let bin: string | null = sample.bin ?? null;
  if (sample.cardNumber !== undefined) {
    const card = cardSummary(sample.cardNumber, `${fieldPrefix}cardNumber`);
    cardBrand = card.brand;
    bin = normalizePan(sample.cardNumber).slice(0, 8);
  } else if (cardBrand === null && bin !== null) {
    cardBrand = detectCardBrand(bin);
  }
  return {
    txId: sample.txId ?? newId('tx'),
    txType: sample.txType,
    service: sample.service ?? null,
    amount: BigInt(sample.amount),
    currency: sample.currency,
    country: sample.country ?? null,
    cardBrand,
    bin,
  };
}
