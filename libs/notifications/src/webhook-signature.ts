import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'payhub-signature';
/** Signatures older than this are refused by verifiers, so a captured request cannot be replayed later. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the merchant's webhook secret; during a
 * secret rotation one `v1=` per valid secret, the new one first (a verifier accepts any that matches).
 */
export function signWebhook(rawBody: string, secrets: string | string[], timestamp = Math.floor(Date.now() / 1000)): string {
  const keys = typeof secrets === 'string' ? [secrets] : secrets;
  return [`t=${timestamp}`, ...keys.map((secret) => `v1=${hmac(secret, `${timestamp}.${rawBody}`)}`)].join(',');
}

/** The recipe of docs/webhooks.md, for payhub's own tests and tools. */
export function verifyWebhookSignature(
  rawBody: string,
  header: string,
  secret: string,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
  nowMs = Date.now(),
): boolean {
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const [key, value] = item.split('=', 2).map((s) => s?.trim());
    if (key && value) parts.set(key, [...(parts.get(key) ?? []), value]);
  }
  const t = parts.get('t')?.[0];
  if (!t || !/^\d+$/.test(t)) return false;
  if (Math.abs(nowMs / 1000 - Number(t)) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, `${t}.${rawBody}`), 'hex');
  return (parts.get('v1') ?? []).some((v) => {
    const given = Buffer.from(v, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

function hmac(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}
