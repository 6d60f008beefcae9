import { createHash } from 'node:crypto';
import { INTERKASSA_TEST_PAYWAY, interkassaSignature, signingKeyFor } from './interkassa-signature';

describe('interkassaSignature (ik_sign)', () => {
  // Published vectors: interkassa/php-sdk tests/SignatureTest.php, recomputed in NOTES.md §1.3.
  const data = { amount: '20', currency: 'UAH', description: 'Test' };

  it('matches the published md5 vector', () => {
    expect(interkassaSignature(data, 'secret', 'md5')).toBe('7cI9rBdQPpPTI5LLPa7QDw==');
  });

  it('matches the published sha256 vector', () => {
    expect(interkassaSignature(data, 'secret', 'sha256')).toBe('seBy/eSLWfKc7Y52JDlHnlWEBZqc9hipLkrQuGLIwHg=');
  });

  it('ignores the order keys arrive in and an ik_sign already present', () => {
    const shuffled = { description: 'Test', ik_sign: 'whatever', currency: 'UAH', amount: 20 };
    expect(interkassaSignature(shuffled, 'secret', 'md5')).toBe('7cI9rBdQPpPTI5LLPa7QDw==');
  });

  it('sorts nested maps recursively before flattening', () => {
    const nested = { b: { z: '1', a: '2' }, a: 'x' };
    const flat = { a: 'x', b1: '2', b2: '1' };
    expect(interkassaSignature(nested, 'k', 'sha256')).toBe(interkassaSignature(flat, 'k', 'sha256'));
    expect(interkassaSignature(nested, 'k', 'sha256')).not.toBe(interkassaSignature({ a: 'x', b: { a: '1', z: '2' } }, 'k', 'sha256'));
  });

  it('sorts byte-wise, so upper case comes before lower case and _ between them', () => {
    // "ik_Z" < "ik__" < "ik_a" byte-wise: the string signed is "1:2:3:k".
    const expected = interkassaSignature({ a: '1', b: '2', c: '3' }, 'k', 'md5');
    expect(interkassaSignature({ ik_a: '3', ik__: '2', ik_Z: '1' }, 'k', 'md5')).toBe(expected);
  });

  it('orders keys outside ASCII by their UTF-8 bytes, astral characters included', () => {
    const keys = ['ik_é', 'ik_z', 'ik_\u{1F600}', 'ik_\uFF5E', 'ik_\uE000', 'ik_', 'ik_zz', 'ik_Ω'];
    const byBytes = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const values = Object.fromEntries(keys.map((k) => [k, String(byBytes.indexOf(k))]));
    const signed = byBytes.map((_, i) => String(i)).join(':');
    expect(interkassaSignature(values, 'k', 'sha256')).toBe(createHash('sha256').update(`${signed}:k`).digest('base64'));
  });

  it('signs the test payway with the test key and refuses when none is configured', () => {
    expect(signingKeyFor(INTERKASSA_TEST_PAYWAY, { secretKey: 's', testKey: 't' })).toBe('t');
    expect(signingKeyFor(INTERKASSA_TEST_PAYWAY, { secretKey: 's' })).toBeNull();
    expect(signingKeyFor('visa_cpaytrz_merchant_uah', { secretKey: 's', testKey: 't' })).toBe('s');
  });
});
