import { hash } from 'node:crypto';
import type { InterkassaSignAlgorithm } from './interkassa-account.schema';

/** Interkassa's own test payway: its notifications are signed with the checkout's test key. */
export const INTERKASSA_TEST_PAYWAY = 'test_interkassa_test_xts';

export type SignableValue = string | number | boolean | null | undefined | SignableMap | SignableValue[];
export interface SignableMap {
  [key: string]: SignableValue;
}

/**
 * `ik_sign` (NOTES §1.3): values of the map without `ik_sign`, keys sorted byte-wise at every level,
 * flattened in that order, the key appended last, joined with `:`, hashed (raw digest) and base64'd.
 */
export function interkassaSignature(params: SignableMap, key: string, algorithm: InterkassaSignAlgorithm): string {
  const { ik_sign: _excluded, ...rest } = params;
  const values = flattenValues(sortRecursive(rest));
  values.push(key);
  return hash(algorithm, values.join(':'), 'base64');
}

/** Which key Interkassa uses: the test key for its test payway, the sign key otherwise. */
export function signingKeyFor(payway: string | null | undefined, keys: { secretKey: string; testKey?: string | null }): string | null {
  if (payway === INTERKASSA_TEST_PAYWAY) return keys.testKey ?? null;
  return keys.secretKey;
}

/** UTF-8 byte order, which is code point order: UTF-16 units compare the same unless a surrogate meets a unit above it. */
function byteOrder(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return (a.codePointAt(i) ?? x) - (b.codePointAt(i) ?? y);
    return x - y;
  }
  return a.length - b.length;
}

function sortRecursive(value: SignableValue): SignableValue {
  if (Array.isArray(value)) return value.map(sortRecursive);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort(byteOrder)
        .map((k) => [k, sortRecursive(value[k])]),
    );
  }
  return value;
}

function flattenValues(value: SignableValue): string[] {
  if (Array.isArray(value)) return value.flatMap(flattenValues);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(flattenValues);
  // PHP's implode turns true into "1" and false/null into "".
  if (value === true) return ['1'];
  if (value === false || value === null || value === undefined) return [''];
  return [String(value)];
}
