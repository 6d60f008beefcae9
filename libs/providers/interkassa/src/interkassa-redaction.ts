const CARD_NUMBER_KEYS = /card_number|^details\[card\]$|^card$/i;
const CARD_SECRET_KEYS = /cvv|cvc/i;

function maskPan(pan: string): string {
  return pan.length > 10 ? `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}` : '****';
}

/** A request or callback as it may be kept on transaction events: no PAN, no CVV. */
export function redactFields(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => {
    if (CARD_SECRET_KEYS.test(k)) return [k, '***'];
    if (CARD_NUMBER_KEYS.test(k)) return [k, maskPan(v)];
    return [k, v];
  }));
}
