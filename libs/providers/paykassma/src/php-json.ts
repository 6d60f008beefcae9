/**
 * Paykassma signs PHP values, not the bytes it sends: the postback signature is md5 of PHP
 * `json_encode($additionalData, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)` and the withdrawal
 * signature is md5 of a recursive `implode(':')` of PHP values. To recompute either, a received body is
 * read into the PHP value it came from (an integer literal stays an int, `300.00` is a float, an
 * object is an ordered associative array) and encoded again the way PHP would.
 */
export type PhpValue = null | boolean | string | { kind: 'int'; text: string } | { kind: 'float'; value: number } | PhpValue[] | PhpAssoc;

/** A JSON object as PHP decodes it (`json_decode($json, true)`): an ordered associative array. */
export class PhpAssoc {
  constructor(readonly entries: Array<[string, PhpValue]>) {}

  get(key: string): PhpValue | undefined {
    return this.entries.find(([k]) => k === key)?.[1];
  }
}

export const phpInt = (value: number | bigint | string): PhpValue => ({ kind: 'int', text: String(value) });
export const phpFloat = (value: number): PhpValue => ({ kind: 'float', value });

/** Parses JSON text keeping what `JSON.parse` loses: int vs float literals and key order (duplicates: last wins, as PHP). */
export function parsePhpJson(text: string): PhpValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`Invalid JSON at ${i}: ${what}`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const value = (): PhpValue => {
    ws();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (text.startsWith('true', i)) return ((i += 4), true);
    if (text.startsWith('false', i)) return ((i += 5), false);
    if (text.startsWith('null', i)) return ((i += 4), null);
    return number();
  };
  const object = (): PhpValue => {
    i++;
    const entries: Array<[string, PhpValue]> = [];
    ws();
    if (text[i] === '}') return (i++, new PhpAssoc(entries));
    for (;;) {
      ws();
      if (text[i] !== '"') fail('expected a key');
      const key = string();
      ws();
      if (text[i++] !== ':') fail('expected ":"');
      const v = value();
      const at = entries.findIndex(([k]) => k === key);
      if (at >= 0) entries[at][1] = v;
      else entries.push([key, v]);
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === '}') return (i++, new PhpAssoc(entries));
      else fail('expected "," or "}"');
    }
  };
  const array = (): PhpValue => {
    i++;
    const items: PhpValue[] = [];
    ws();
    if (text[i] === ']') return (i++, items);
    for (;;) {
      items.push(value());
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === ']') return (i++, items);
      else fail('expected "," or "]"');
    }
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const number = (): PhpValue => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) return fail('unexpected token');
    i += match[0].length;
    const isInt = !match[2] && !match[3];
    // PHP turns integer literals beyond int64 into floats.
    if (isInt && BigInt(match[0]) <= 9223372036854775807n && BigInt(match[0]) >= -9223372036854775808n) return phpInt(match[0]);
    return phpFloat(Number(match[0]));
  };
  const result = value();
  ws();
  if (i !== text.length) fail('trailing characters');
  return result;
}

export interface PhpJsonFlags {
  unescapedSlashes?: boolean;
  unescapedUnicode?: boolean;
}

/** PHP 7.1+/8 `json_encode` with the given flags (serialize_precision = -1, no PRESERVE_ZERO_FRACTION). */
export function phpJsonEncode(value: PhpValue, flags: PhpJsonFlags = {}): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return encodeString(value, flags);
  if (Array.isArray(value)) return `[${value.map((v) => phpJsonEncode(v, flags)).join(',')}]`;
  if (value instanceof PhpAssoc) {
    // An array whose keys are exactly 0..n-1 in order is a list to PHP, also when it arrived as an object.
    if (value.entries.every(([k], index) => k === String(index))) return `[${value.entries.map(([, v]) => phpJsonEncode(v, flags)).join(',')}]`;
    return `{${value.entries.map(([k, v]) => `${encodeString(k, flags)}:${phpJsonEncode(v, flags)}`).join(',')}}`;
  }
  if (value.kind === 'int') return value.text;
  return encodeFloat(value.value);
}

function encodeString(text: string, flags: PhpJsonFlags): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '/') out += flags.unescapedSlashes ? '/' : '\\/';
    else if (char === '\b') out += '\\b';
    else if (char === '\f') out += '\\f';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20) out += `\\u${hex4(code)}`;
    else if (code < 0x80) out += char;
    // Even with JSON_UNESCAPED_UNICODE, PHP escapes the JS line terminators unless JSON_UNESCAPED_LINE_TERMINATORS is set.
    else if (flags.unescapedUnicode && code !== 0x2028 && code !== 0x2029) out += char;
    else if (code > 0xffff) {
      const v = code - 0x10000;
      out += `\\u${hex4(0xd800 + (v >> 10))}\\u${hex4(0xdc00 + (v & 0x3ff))}`;
    } else out += `\\u${hex4(code)}`;
  }
  return `${out}"`;
}

const hex4 = (code: number) => code.toString(16).padStart(4, '0');

/** serialize_precision = -1: the shortest round-trip digits; exponent form outside PHP's fixed range. */
function encodeFloat(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError('PHP json_encode refuses INF and NAN');
  return formatShortest(value, 'e', 17);
}

/**
 * The digits of `value` as `php_gcvt` lays them out: fixed notation while the decimal exponent is in
 * range, else `d.ddde+X` (a single digit gets ".0", as PHP prints `1.0e+25`).
 */
export function formatShortest(value: number, expChar: 'e' | 'E', ndigit: number, digitsOverride?: { digits: string; decpt: number }): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const negative = value < 0;
  const { digits, decpt } = digitsOverride ?? shortestDigits(Math.abs(value));
  let body: string;
  if (decpt < 0 ? decpt < -3 : decpt > ndigit) {
    const exponent = decpt - 1;
    const mantissa = digits.length === 1 ? `${digits}.0` : `${digits[0]}.${digits.slice(1)}`;
    body = `${mantissa}${expChar}${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`;
  } else if (decpt <= 0) {
    body = `0.${'0'.repeat(-decpt)}${digits}`;
  } else if (digits.length <= decpt) {
    body = digits + '0'.repeat(decpt - digits.length);
  } else {
    body = `${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  return negative ? `-${body}` : body;
}

/** Significant digits and decimal-point position (value = 0.DIGITS × 10^decpt) of the shortest round-trip form. */
function shortestDigits(value: number): { digits: string; decpt: number } {
  const [mantissa, exp] = value.toExponential().split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, decpt: Number(exp) + 1 };
}

/** PHP 8 `(string)$value` as `implode` applies it: true "1", false and null "", floats with precision 14. */
export function phpToString(value: PhpValue): string {
  if (value === null || value === false) return '';
  if (value === true) return '1';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) || value instanceof PhpAssoc) return 'Array';
  if (value.kind === 'int') return value.text;
  if (!Number.isFinite(value.value)) return Number.isNaN(value.value) ? 'NAN' : value.value > 0 ? 'INF' : '-INF';
  const [mantissa, exp] = Math.abs(value.value).toExponential(13).split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  if (value.value === 0) return Object.is(value.value, -0) ? '-0' : '0';
  // %.14G: exponent form when the exponent is < -4 or >= 14.
  const exponent = Number(exp);
  const text = formatShortest(Math.abs(value.value), 'E', exponent < -4 || exponent >= 14 ? -1 : 100, { digits, decpt: exponent + 1 });
  return value.value < 0 ? `-${text}` : text;
}

/** JS data as PHP would hold it after `json_decode(json_encode(data), true)`: whole numbers are ints. */
export function toPhpValue(value: unknown): PhpValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return phpInt(value);
  if (typeof value === 'number') return Number.isInteger(value) ? phpInt(value) : phpFloat(value);
  if (Array.isArray(value)) return value.map(toPhpValue);
  if (typeof value === 'object')
    return new PhpAssoc(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toPhpValue(v)]),
    );
  throw new TypeError(`${typeof value} has no PHP form`);
}

/** PHP `multiImplode(':', $array)` of the provider's document: nested arrays flattened in their own order. */
export function phpMultiImplode(glue: string, value: PhpValue[] | PhpAssoc): string {
  const items = Array.isArray(value) ? value : value.entries.map(([, v]) => v);
  return items.map((v) => (Array.isArray(v) || v instanceof PhpAssoc ? phpMultiImplode(glue, v) : phpToString(v))).join(glue);
}
