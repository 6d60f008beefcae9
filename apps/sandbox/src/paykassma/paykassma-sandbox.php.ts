import { createHash } from 'node:crypto';

/**
 * The simulator's own PHP behaviour, written apart from the adapter on purpose: if both sides shared
 * one encoder, a mistake in it would sign and verify alike and no test would notice.
 *
 * Values: JS numbers that are whole are PHP ints, others floats; `Float` marks a whole float (300.0);
 * objects are associative arrays in insertion order.
 */
export class Float {
  constructor(readonly value: number) {}
}

export function sbMd5(text: string): string {
  return createHash('md5').update(Buffer.from(text, 'utf8')).digest('hex');
}

export function sbSha1(text: string): string {
  return createHash('sha1').update(Buffer.from(text, 'utf8')).digest('hex');
}

/** PHP `json_encode($v, $flags)`; `escape: false` stands for JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE. */
export function sbJsonEncode(value: unknown, escape: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (value === true || value === false) return String(value);
  if (value instanceof Float) return sbFloatJson(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : sbFloatJson(value);
  if (typeof value === 'string') return sbString(value, escape);
  if (Array.isArray(value)) return '[' + value.map((v) => sbJsonEncode(v, escape)).join(',') + ']';
  const keys = Object.keys(value as object);
  if (keys.length === 0 || keys.every((k, i) => k === String(i)))
    return '[' + keys.map((k) => sbJsonEncode((value as Record<string, unknown>)[k], escape)).join(',') + ']';
  return '{' + keys.map((k) => sbString(k, escape) + ':' + sbJsonEncode((value as Record<string, unknown>)[k], escape)).join(',') + '}';
}

function sbString(text: string, escape: boolean): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const ch = text[i];
    const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    if (named[ch]) parts.push(named[ch]);
    else if (ch === '/') parts.push(escape ? '\\/' : '/');
    else if (unit < 0x20) parts.push('\\u' + unit.toString(16).padStart(4, '0'));
    else if (unit < 0x80) parts.push(ch);
    // PHP escapes U+2028/2029 unless JSON_UNESCAPED_LINE_TERMINATORS; UTF-16 units map 1:1 to PHP's \u escapes.
    else if (escape || unit === 0x2028 || unit === 0x2029) parts.push('\\u' + unit.toString(16).padStart(4, '0'));
    else parts.push(ch);
  }
  return '"' + parts.join('') + '"';
}

/** serialize_precision -1: shortest digits; 1.0e+25 style outside 1e-4 ≤ |x| < 1e17. */
function sbFloatJson(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e17) return value.toFixed(0);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e17)) {
    const [m, e] = value.toExponential().split('e');
    return `${m.includes('.') ? m : `${m}.0`}e${e.startsWith('-') ? e : `+${e.replace('+', '')}`}`;
  }
  return String(value);
}

/** PHP `(string)` as implode uses it (precision 14). */
export function sbPhpString(value: unknown): string {
  if (value === true) return '1';
  if (value === false || value === null || value === undefined) return '';
  if (value instanceof Float) return sbPhpFloatString(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : sbPhpFloatString(value);
  return String(value);
}

function sbPhpFloatString(value: number): string {
  const rounded = Number(value.toPrecision(14));
  const abs = Math.abs(rounded);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e14)) {
    const [m, e] = rounded.toExponential().split('e');
    return `${m.includes('.') ? m : `${m}.0`}E${e.startsWith('-') ? e : `+${e.replace('+', '')}`}`;
  }
  return String(rounded);
}

/** The document's `generateSignature`: ksort (top level), recursive `:` implode, sha1(key . md5(...)). */
export function sbWithdrawalSignature(privateKey: string, data: Record<string, unknown>): string {
  const flat = (v: unknown): string =>
    v !== null && typeof v === 'object' && !(v instanceof Float)
      ? Object.values(v as object)
          .map(flat)
          .join(':')
      : sbPhpString(v);
  const sorted = Object.keys(data)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => data[k]);
  return sbSha1(privateKey + sbMd5(sorted.map(flat).join(':')));
}

/** Today's postbacks sign `additional_data` unescaped; the older `transactions` ones `toJson()` with PHP's default escaping. */
export function sbPostbackSignature(accessKey: string, privateKey: string, list: unknown, escape = false): string {
  return sbSha1(accessKey + privateKey + sbMd5(sbJsonEncode(list, escape)));
}

/** JSON as PHP's json_decode sees it: float literals become `Float` so `1000.0` stays a float. */
export function sbJsonDecode(text: string): unknown {
  const marker = '\u0000f:';
  // The marker goes into the text as the JSON escape \u0000: a raw control character would not parse.
  const tagged = text.replace(/("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g, (m, str: string | undefined, num: string | undefined) =>
    str !== undefined ? str : /[.eE]/.test(num!) ? `"\\u0000f:${num}"` : num!,
  );
  return JSON.parse(tagged, (_k, v) => (typeof v === 'string' && v.startsWith(marker) ? new Float(Number(v.slice(marker.length))) : v));
}
