/**
 * The one redactor for provider exchanges kept on transaction events: PANs become BIN + last 4, card
 * security codes, keys, tokens and passwords become `[redacted]`, at any depth. Field names cover every
 * provider's spelling (`cardnum`, `ik_pay_card_number`, `details[card]`, `cardcvv`, `ik_pay_card_cvv`…).
 */
const PAN_KEYS = /card|^pan$|^number$/i;
const SECRET_KEYS = /cvv|cvc|api_?key|secret|password|token|signature_key|private_?key|^authorization$/i;

export function maskPan(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 12) return '****';
  return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_KEYS.test(key)) out[key] = '[redacted]';
    else if (PAN_KEYS.test(key) && typeof child === 'string' && /^\d[\d\s-]{10,21}\d$/.test(child)) out[key] = maskPan(child);
    else out[key] = redact(child);
  }
  return out;
}

/** A URL as it may be kept: credentials in the query (`?secret=`, `api_key=`) masked. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](secret|api_?key|token|key)=)[^&]*/gi, '$1***');
}
