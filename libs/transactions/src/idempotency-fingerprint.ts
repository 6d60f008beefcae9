import { createHmac } from 'node:crypto';

/**
 * What identifies "the same request" for an Idempotency-Key: an HMAC-SHA256 over the merchant, the
 * method, the path and the body in canonical JSON, keyed with a key derived from PAYHUB_SECRET_KEY.
 * A bare hash of a body that held a card would let anyone with the database brute-force the hidden
 * PAN digits and the CVV from the rest of the row; without the key the fingerprint gives nothing away.
 */
export function idempotencyFingerprint(key: Buffer, merchantId: string, method: string, path: string, body: unknown): string {
  return createHmac('sha256', key)
    .update(`${merchantId}\n${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

/** Key order must not make two equal bodies look different. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
