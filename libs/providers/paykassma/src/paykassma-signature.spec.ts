import { postbackSignature, verifyPostbackSignature, withdrawalSignature } from './paykassma-signature';
import { parsePhpJson, phpJsonEncode, phpMultiImplode, phpToString, phpFloat, phpInt, toPhpValue, PhpAssoc } from './php-json';

/** Vectors recomputed outside this code (Python json.dumps(ensure_ascii=False, separators=(',', ':')) + hashlib). */
const ITAU_LIST =
  '[{"activated_datetime":"2025-11-11 15:38:47","exchanger_identifier":null,"comment":"","amount":"25000","currency_code":"PYG","wallet_type":"itau_ml","stockpiling_id":11844,"transaction_id":"0394031","transaction_type":0,"plugin_custom_order_id":"test_custom1234","withdrawal_id":null,"withdrawal_status":null,"account_number":"","account_name":"","account_email":"","bank_details":{"bank_code":"","branch_code":""}}]';

describe('PHP json_encode as Paykassma signs with it', () => {
  const unescaped = { unescapedSlashes: true, unescapedUnicode: true };

  it('re-encodes the Itau manual postback list byte for byte (null, ints, string amounts, nested arrays, key order)', () => {
    expect(phpJsonEncode(parsePhpJson(ITAU_LIST), unescaped)).toBe(ITAU_LIST);
    expect(postbackSignature('uowkn0b3LfBxpcWYHi4_', 'test-private', parsePhpJson(ITAU_LIST))).toBe('c60dcd713509091b50df2958a3fd232550bc9ed6');
  });

  it('leaves slashes and unicode unescaped but escapes quotes, backslashes and controls as PHP does', () => {
    const list = parsePhpJson('[{"comment":"Retiro\\/Auszahlung \\u2013 \\u00f1\\u00fc \\"q\\" \\\\ \\ud83d\\ude00","amount":"10.50"}]');
    expect(phpJsonEncode(list, unescaped)).toBe('[{"comment":"Retiro/Auszahlung – ñü \\"q\\" \\\\ 😀","amount":"10.50"}]');
    expect(postbackSignature('ak', 'pk', list)).toBe('3c5aeffa48027fcd11c8a58c0957affb8f8d91fa');
    expect(phpJsonEncode('a\u0001b\u001f\n\t', unescaped)).toBe('"a\\u0001b\\u001f\\n\\t"');
  });

  it('escapes U+2028/U+2029 even with JSON_UNESCAPED_UNICODE, and everything non-ASCII without it', () => {
    expect(phpJsonEncode('x\u2028y\u2029', unescaped)).toBe('"x\\u2028y\\u2029"');
    expect(phpJsonEncode('ñ/😀', {})).toBe('"\\u00f1\\/\\ud83d\\ude00"');
  });

  it('keeps int and float literals apart: 300.00 is a float PHP prints as 300, 0.1 stays, 1e-5 and 1e25 go exponent', () => {
    expect(phpJsonEncode(parsePhpJson('[300.00,300,0.1,2.50,0.00001,1e25,-0.0,12345678901234567890]'))).toBe(
      '[300,300,0.1,2.5,1.0e-5,1.0e+25,-0,1.2345678901234567e+19]',
    );
  });

  it('encodes an object with keys 0..n-1 as a list and an empty object as [] (PHP arrays)', () => {
    expect(phpJsonEncode(parsePhpJson('{"0":"a","1":"b"}'))).toBe('["a","b"]');
    expect(phpJsonEncode(parsePhpJson('{}'))).toBe('[]');
    expect(phpJsonEncode(parsePhpJson('{"1":"a"}'))).toBe('{"1":"a"}');
  });

  it('accepts a matching signature in any case and rejects one over different data or keys', () => {
    const list = parsePhpJson(ITAU_LIST);
    expect(verifyPostbackSignature('uowkn0b3LfBxpcWYHi4_', 'test-private', list, 'C60DCD713509091B50DF2958A3FD232550BC9ED6')).toBe(true);
    expect(verifyPostbackSignature('uowkn0b3LfBxpcWYHi4_', 'other-private', list, 'c60dcd713509091b50df2958a3fd232550bc9ed6')).toBe(false);
    expect(
      verifyPostbackSignature(
        'uowkn0b3LfBxpcWYHi4_',
        'test-private',
        parsePhpJson(ITAU_LIST.replace('"25000"', '"25001"')),
        'c60dcd713509091b50df2958a3fd232550bc9ed6',
      ),
    ).toBe(false);
  });
});

describe('withdrawal request signature (ksort, recursive implode, PHP string conversion)', () => {
  const documentExample = {
    withdrawal_id: '1234567',
    payment_system: 'paytm',
    amount: 1000,
    currency_code: 'INR',
    label: '55',
    is_test: false,
    comment: 'withdrawal',
    account_number: '11111111',
    payments_details: { payments_provider: '56', payments_method: 'MOBILE_MONEY' },
    bank_details: { bank_code: 'MAHB0001821', branch_code: '000254', bank_code_in_payments_system: '9393' },
  };

  it('sorts the top level only, keeps nested order and turns false into "" (document example data)', () => {
    const sorted = new PhpAssoc((toPhpValue(documentExample) as PhpAssoc).entries.sort(([a], [b]) => (a < b ? -1 : 1)));
    expect(phpMultiImplode(':', sorted)).toBe('11111111:1000:MAHB0001821:000254:9393:withdrawal:INR::55:paytm:56:MOBILE_MONEY:1234567');
    expect(withdrawalSignature('yourprivatekey', documentExample)).toBe('d4d72d95681836388ccd726f33946c6a6c597d92');
  });

  it('ignores an existing signature field and is independent of top-level key order', () => {
    const reordered = Object.fromEntries(Object.entries(documentExample).reverse());
    expect(withdrawalSignature('yourprivatekey', { ...reordered, signature: 'x' })).toBe('d4d72d95681836388ccd726f33946c6a6c597d92');
  });

  it('converts booleans, null and floats the way PHP strings them', () => {
    expect(phpToString(true)).toBe('1');
    expect(phpToString(false)).toBe('');
    expect(phpToString(null)).toBe('');
    expect(phpToString(phpInt(75000))).toBe('75000');
    expect(phpToString(phpFloat(1000.5))).toBe('1000.5');
    expect(phpToString(phpFloat(0.1 + 0.2))).toBe('0.3');
    expect(phpToString(phpFloat(1e25))).toBe('1.0E+25');
    expect(phpToString(phpFloat(0.00001))).toBe('1.0E-5');
    expect(phpToString(phpFloat(100.0))).toBe('100');
    expect(phpMultiImplode(':', toPhpValue({ a: true, b: null, c: { d: false, e: [1, 'x'] } }) as PhpAssoc)).toBe('1:::1:x');
  });
});
