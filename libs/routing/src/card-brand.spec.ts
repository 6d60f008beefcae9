import { ErrorCode } from '@payhub/common';
import { cardSummary, detectCardBrand, luhnValid } from '@payhub/routing';
import { catchDomainError } from '../../../test/support/catch-domain-error';

/** Public test PANs, each Luhn-valid (asserted below). */
const TEST_CARDS: Array<[string, string]> = [
  ['4111111111111111', 'VISA'],
  ['4000000000003220', 'VISA'],
  ['5555555555554444', 'MASTERCARD'],
  ['2221000000000009', 'MASTERCARD'],
  ['2720999999999996', 'MASTERCARD'],
  ['378282246310005', 'AMEX'],
  ['371449635398431', 'AMEX'],
  ['6011111111111117', 'DISCOVER'],
  ['6011000990139424', 'DISCOVER'],
  ['6440000000000005', 'DISCOVER'],
  ['6500000000000002', 'DISCOVER'],
  ['3530111333300000', 'JCB'],
  ['3566002020360505', 'JCB'],
  ['36227206271667', 'DINERS'],
  ['30569309025904', 'DINERS'],
  ['3800000000000006', 'DINERS'],
  ['6200000000000005', 'UNIONPAY'],
  ['6250941006528599', 'UNIONPAY'],
  ['6221260000000000', 'UNIONPAY'],
  ['2200000000000004', 'MIR'],
  ['2204000000000000', 'MIR'],
  ['6073849700004947', 'RUPAY'],
  ['6521500000000006', 'RUPAY'],
  ['6531490000000008', 'RUPAY'],
  ['5085000000000007', 'RUPAY'],
  ['8172000000000005', 'RUPAY'],
  ['8201990000000002', 'RUPAY'],
  ['6759649826438453', 'MAESTRO'],
  ['6799990100000000019', 'MAESTRO'],
  ['5018000000000009', 'MAESTRO'],
  ['5600000000000003', 'MAESTRO'],
  ['6304000000000000', 'MAESTRO'],
];

describe('luhnValid', () => {
  it.each(TEST_CARDS)('accepts the test card %s', (pan) => {
    expect(luhnValid(pan)).toBe(true);
  });

  it('refuses a number with one digit changed', () => {
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('5555555555554440')).toBe(false);
  });

  it('refuses 6521000000000000, which is not a valid card number', () => {
    expect(luhnValid('6521000000000000')).toBe(false);
  });

  it('refuses non-digits, too short and too long numbers', () => {
    expect(luhnValid('4111-1111-1111-111a')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('00000000000')).toBe(false);
    expect(luhnValid('4111111111111111111111')).toBe(false);
  });

  it('ignores spaces and dashes the customer typed', () => {
    expect(luhnValid('4111 1111 1111 1111')).toBe(true);
    expect(luhnValid('4111-1111-1111-1111')).toBe(true);
  });
});

describe('detectCardBrand', () => {
  it.each(TEST_CARDS)('%s is %s', (pan, brand) => {
    expect(detectCardBrand(pan)).toBe(brand);
  });

  it('keeps MIR 2200–2204 apart from MASTERCARD 2221–2720 and leaves the gap unknown', () => {
    expect(detectCardBrand('2204999999999999')).toBe('MIR');
    expect(detectCardBrand('2205000000000000')).toBeNull();
    expect(detectCardBrand('2220999999999999')).toBeNull();
    expect(detectCardBrand('2221000000000000')).toBe('MASTERCARD');
    expect(detectCardBrand('2720999999999999')).toBe('MASTERCARD');
    expect(detectCardBrand('2721000000000000')).toBeNull();
  });

  it('gives 6011 to DISCOVER and the rest of 60 to RUPAY', () => {
    expect(detectCardBrand('6011000000000000')).toBe('DISCOVER');
    expect(detectCardBrand('6012000000000000')).toBe('RUPAY');
    expect(detectCardBrand('6000000000000007')).toBe('RUPAY');
  });

  it('gives RuPay its 652150–653149 slice of 65 and DISCOVER the rest', () => {
    expect(detectCardBrand('6521490000000000')).toBe('DISCOVER');
    expect(detectCardBrand('6521500000000000')).toBe('RUPAY');
    expect(detectCardBrand('6531490000000000')).toBe('RUPAY');
    expect(detectCardBrand('6531500000000000')).toBe('DISCOVER');
  });

  it('gives 508 to RUPAY and the rest of 50 to MAESTRO', () => {
    expect(detectCardBrand('5080000000000000')).toBe('RUPAY');
    expect(detectCardBrand('5020000000000000')).toBe('MAESTRO');
  });

  it('keeps MASTERCARD at 51–55 and MAESTRO at 56–58', () => {
    expect(detectCardBrand('5100000000000000')).toBe('MASTERCARD');
    expect(detectCardBrand('5599999999999999')).toBe('MASTERCARD');
    expect(detectCardBrand('5893000000000000')).toBe('MAESTRO');
    expect(detectCardBrand('5900000000000000')).toBeNull();
  });

  it('gives JCB 3528–3589 and DINERS 300–305, 3095, 36, 38–39', () => {
    expect(detectCardBrand('3527000000000000')).toBeNull();
    expect(detectCardBrand('3528000000000000')).toBe('JCB');
    expect(detectCardBrand('3589000000000000')).toBe('JCB');
    expect(detectCardBrand('3000000000000000')).toBe('DINERS');
    expect(detectCardBrand('3060000000000000')).toBeNull();
    expect(detectCardBrand('3095000000000000')).toBe('DINERS');
    expect(detectCardBrand('3900000000000005')).toBe('DINERS');
  });

  it('returns null for unknown networks and non-digits', () => {
    expect(detectCardBrand('1234567890123452')).toBeNull();
    expect(detectCardBrand('9999999999999995')).toBeNull();
    expect(detectCardBrand('abcd')).toBeNull();
    expect(detectCardBrand('')).toBeNull();
  });

  it('works on a bare BIN', () => {
    expect(detectCardBrand('411111')).toBe('VISA');
    expect(detectCardBrand('220012')).toBe('MIR');
  });
});

describe('cardSummary', () => {
  it('keeps brand, first 6 and last 4 only', () => {
    expect(cardSummary('4111 1111 1111 1111')).toEqual({ brand: 'VISA', bin: '411111', last4: '1111' });
    expect(cardSummary('378282246310005')).toEqual({ brand: 'AMEX', bin: '378282', last4: '0005' });
  });

  it('allows a valid number of an unknown network', () => {
    expect(cardSummary('9999999999999995')).toEqual({ brand: null, bin: '999999', last4: '9995' });
  });

  it('refuses a number that fails Luhn, naming card.number', () => {
    const error = catchDomainError(() => cardSummary('4111111111111112'));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.details).toEqual([{ field: 'card.number', issue: 'fails the Luhn check' }]);
  });

  it('refuses a number that is not 12–19 digits', () => {
    const error = catchDomainError(() => cardSummary('4111x'));
    expect(error.details).toEqual([{ field: 'card.number', issue: 'must be 12 to 19 digits' }]);
  });
});
