import { createHash } from 'node:crypto';
import { safeEqual } from '@payhub/common';
import { PhpAssoc, PhpValue, phpJsonEncode, phpMultiImplode, toPhpValue } from './php-json';

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex');

/**
 * Postback signature (NOTES §2.1): sha1(access key . private key . md5(json_encode(list,
 * JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE))) over the transaction list only.
 */
export function postbackSignature(accessKey: string, privateKey: string, list: PhpValue, escaping: PostbackEscaping = 'unescaped'): string {
  const unescaped = escaping === 'unescaped';
  return sha1(accessKey + privateKey + md5(phpJsonEncode(list, { unescapedSlashes: unescaped, unescapedUnicode: unescaped })));
}

/**
 * `unescaped`: today's `additional_data` postbacks (JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
 * `escaped`: the older `transactions` postbacks, signed over `$transactions->toJson()` without flags.
 */
export type PostbackEscaping = 'unescaped' | 'escaped';

export function verifyPostbackSignature(
  accessKey: string,
  privateKey: string,
  list: PhpValue,
  signature: string,
  escaping: PostbackEscaping = 'unescaped',
): boolean {
  return safeEqual(postbackSignature(accessKey, privateKey, list, escaping).toLowerCase(), signature.toLowerCase());
}

/**
 * Withdrawal request signature (paykassma-api.md, NOTES §2.2): top-level ksort only, recursive ":"
 * implode with PHP string conversion, sha1(private key . md5(implode)). `signature` is never signed.
 */
export function withdrawalSignature(privateKey: string, data: Record<string, unknown> | PhpAssoc): string {
  const assoc = data instanceof PhpAssoc ? data : (toPhpValue(data) as PhpAssoc);
  const sorted = new PhpAssoc(assoc.entries.filter(([key]) => key !== 'signature').sort(([a], [b]) => ksortCompare(a, b)));
  return sha1(privateKey + md5(phpMultiImplode(':', sorted)));
}

/** PHP 8 ksort (SORT_REGULAR) of string keys: numeric keys compare as numbers, the rest byte-wise. */
function ksortCompare(a: string, b: string): number {
  const numeric = /^-?\d+(\.\d+)?$/;
  if (numeric.test(a) && numeric.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
