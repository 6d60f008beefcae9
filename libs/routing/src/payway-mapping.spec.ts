import { ErrorCode } from '@payhub/common';
import { DEFAULT_PAYWAY_MAPPING, parsePaywayMapping, resolvePayway } from '@payhub/routing';
import { catchDomainError } from '../../../test/support/catch-domain-error';

describe('parsePaywayMapping', () => {
  it('parses BRAND and BRAND_CUR entries', () => {
    const mapping = parsePaywayMapping('VISA->visa,MASTERCARD->mastercard,VISA_UAH->visa_cpaytrz_merchant_uah');
    expect([...mapping.entries()]).toEqual([
      ['VISA', 'visa'],
      ['MASTERCARD', 'mastercard'],
      ['VISA_UAH', 'visa_cpaytrz_merchant_uah'],
    ]);
  });

  it('tolerates whitespace around entries and arrows, and a trailing comma', () => {
    const mapping = parsePaywayMapping('  VISA -> visa ,\n MASTERCARD_EUR->mc_eur ,');
    expect(Object.fromEntries(mapping)).toEqual({ VISA: 'visa', MASTERCARD_EUR: 'mc_eur' });
  });

  it.each([null, undefined, '', '   '])('uses the default mapping for %p', (raw) => {
    expect(Object.fromEntries(parsePaywayMapping(raw))).toEqual({ VISA: 'visa', MASTERCARD: 'mastercard' });
  });

  it('exposes the default as the PaymentIQ string', () => {
    expect(DEFAULT_PAYWAY_MAPPING).toBe('VISA->visa,MASTERCARD->mastercard');
  });

  it('refuses malformed entries, naming paywayMapping and each bad entry', () => {
    const error = catchDomainError(() => parsePaywayMapping('VISA->visa, MASTERCARD=>mc, ->x, AMEX->, VISA_UAH'));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.details).toEqual([
      { field: 'paywayMapping', issue: 'entry "MASTERCARD=>mc" is not BRAND->payway or BRAND_CUR->payway' },
      { field: 'paywayMapping', issue: 'entry "->x" is not BRAND->payway or BRAND_CUR->payway' },
      { field: 'paywayMapping', issue: 'entry "AMEX->" is not BRAND->payway or BRAND_CUR->payway' },
      { field: 'paywayMapping', issue: 'entry "VISA_UAH" is not BRAND->payway or BRAND_CUR->payway' },
    ]);
  });

  it('refuses an unknown brand rather than ignoring a typo', () => {
    const error = catchDomainError(() => parsePaywayMapping('VISSA->visa'));
    expect(error.details).toEqual([{ field: 'paywayMapping', issue: 'entry "VISSA->visa" names unknown card brand VISSA' }]);
  });

  it('refuses a currency that is not 3 letters and a payway with spaces', () => {
    const error = catchDomainError(() => parsePaywayMapping('VISA_UA->x,VISA->vi sa'));
    expect(error.details.map((d) => d.issue)).toEqual([
      'entry "VISA_UA->x" is not BRAND->payway or BRAND_CUR->payway',
      'entry "VISA->vi sa" is not BRAND->payway or BRAND_CUR->payway',
    ]);
  });

  it('refuses the same key twice', () => {
    const error = catchDomainError(() => parsePaywayMapping('VISA->a,VISA->b'));
    expect(error.details).toEqual([{ field: 'paywayMapping', issue: 'entry "VISA->b" maps VISA a second time' }]);
  });

  it('can name another field path', () => {
    const error = catchDomainError(() => parsePaywayMapping('nonsense', 'accounts.DEFAULT.paywayMapping'));
    expect(error.details[0].field).toBe('accounts.DEFAULT.paywayMapping');
  });
});

describe('resolvePayway', () => {
  const mapping = parsePaywayMapping('VISA->visa,MASTERCARD->mastercard,VISA_UAH->visa_cpaytrz_merchant_uah');

  it('prefers BRAND_CUR over BRAND', () => {
    expect(resolvePayway(mapping, 'VISA', 'UAH')).toBe('visa_cpaytrz_merchant_uah');
  });

  it('falls back to BRAND for other currencies', () => {
    expect(resolvePayway(mapping, 'VISA', 'EUR')).toBe('visa');
    expect(resolvePayway(mapping, 'MASTERCARD', 'UAH')).toBe('mastercard');
  });

  it('resolves BRAND_CUR even without a BRAND entry', () => {
    expect(resolvePayway(parsePaywayMapping('MIR_RUB->mir_rub'), 'MIR', 'RUB')).toBe('mir_rub');
  });

  it('never guesses: no entry is NO_PAYWAY_MAPPING naming brand and currency', () => {
    const error = catchDomainError(() => resolvePayway(mapping, 'AMEX', 'USD'));
    expect(error.code).toBe(ErrorCode.NO_PAYWAY_MAPPING);
    expect(error.message).toContain('AMEX');
    expect(error.message).toContain('USD');
    expect(error.details).toEqual([{ field: 'paywayMapping', issue: 'has no entry for AMEX_USD or AMEX' }]);
  });

  it('does not use another currency entry of the same brand', () => {
    const error = catchDomainError(() => resolvePayway(parsePaywayMapping('MIR_RUB->mir_rub'), 'MIR', 'KZT'));
    expect(error.code).toBe(ErrorCode.NO_PAYWAY_MAPPING);
  });

  it('refuses an unknown brand with UNKNOWN_CARD_BRAND', () => {
    const error = catchDomainError(() => resolvePayway(mapping, null, 'UAH'));
    expect(error.code).toBe(ErrorCode.UNKNOWN_CARD_BRAND);
  });
});
