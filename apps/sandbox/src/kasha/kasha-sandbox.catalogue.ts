/** Kasha's tables, the simulator's scenarios and the small helpers every part of the simulator shares. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { FastifyRequest } from 'fastify';
import type { KashaSandboxTransaction } from './kasha-sandbox.state';

/** Longer than the test timeout (2 s), short enough to keep tests fast. */
export const KASHA_SLOW_ANSWER_MS = 2500;
/** How long an approved payout stays PROCESSING before the simulated processor decides. */
export const KASHA_PAYOUT_PROCESSING_MS = 300;
export const KASHA_SESSION_MS = 30 * 60 * 1000;
/** An API key value the simulator refuses (401), to exercise a misconfigured account. */
export const KASHA_REFUSED_KEY = 'kasha-refused-key';

/** Kasha's error table as the simulator answers it (same codes, Kasha's status, short reasons). */
export const ERRORS: Record<string, [status: 'DECLINED' | 'ERROR', reason: string]> = {
  '1000': ['DECLINED', 'Validation error.'],
  '1001': ['DECLINED', 'Missing phone number.'],
  '1002': ['DECLINED', 'Invalid document id.'],
  '1003': ['DECLINED', 'Invalid document type.'],
  '1004': ['DECLINED', 'Invalid phone number.'],
  '1005': ['DECLINED', 'Invalid bank account format.'],
  '1006': ['DECLINED', 'Invalid zip code.'],
  '1007': ['DECLINED', 'Low amount received.'],
  '1008': ['DECLINED', 'Payment amount is too high.'],
  '1009': ['DECLINED', 'Invalid amount.'],
  '1100': ['ERROR', 'Contact support to confirm payment.'],
  '3000': ['DECLINED', 'Insufficient card funds.'],
  '3001': ['DECLINED', 'Do not honour.'],
  '3002': ['DECLINED', 'Untrusted transaction.'],
  '3003': ['DECLINED', 'Abandoned 3DS.'],
  '3004': ['DECLINED', 'Invalid CVV2/CVC2.'],
  '3005': ['DECLINED', 'Invalid cardholder name.'],
  '3006': ['DECLINED', 'Exceeded amount limit.'],
  '3007': ['DECLINED', 'Card expired.'],
  '3008': ['DECLINED', 'Transaction already in progress.'],
  '3009': ['DECLINED', 'Invalid card number.'],
  '3010': ['DECLINED', 'Customer has failed 3DS.'],
  '3011': ['DECLINED', 'No card record.'],
  '3012': ['DECLINED', 'Pickup card.'],
  '3013': ['DECLINED', 'Charge count limit reached for this card.'],
  '3014': ['DECLINED', 'Exceeded amount limit.'],
  '3015': ['DECLINED', 'Transaction not permitted to cardholder.'],
  '3016': ['DECLINED', 'Visa decline.'],
  '3017': ['DECLINED', 'Duplicate transaction.'],
  '3018': ['DECLINED', 'Payment was not received.'],
  '3019': ['DECLINED', 'Recalculation.'],
  '3020': ['DECLINED', 'Transaction amount less than allowed.'],
  '3021': ['DECLINED', 'Country is blocked.'],
  '3022': ['DECLINED', 'Transaction blocked.'],
  '3023': ['DECLINED', 'Declined by card Issuer.'],
  '3024': ['DECLINED', 'Card type declined.'],
  '3025': ['DECLINED', 'Transaction not allowed in country.'],
  '3026': ['DECLINED', 'Mastercard Decline.'],
  '994': ['DECLINED', 'Unidentified subject.'],
  '995': ['DECLINED', 'No payment options were found.'],
  '996': ['DECLINED', 'Currency conversion error.'],
  '997': ['DECLINED', 'No route was found.'],
  '998': ['DECLINED', 'Adapter timeout.'],
  '999': ['DECLINED', 'Miscellaneous error.'],
};

export const SESSION_CODES = new Set(['995', '996', '997']);
export const VALIDATION_CODES = new Set(['1000', '1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008', '1009']);

export const CARD_INPUTS = [
  { label: 'Card Number', name: 'cardnum', type: 'string', values: [], required: true, validations: { minLength: 12, maxLength: 19 } },
  { label: 'Owner', name: 'cardholder', type: 'string', values: [], required: true, validations: { minLength: 2, maxLength: 64 } },
  { label: 'Expiry year', name: 'expiryyear', type: 'string', values: [], required: true, validations: { minLength: 4, maxLength: 4 } },
  { label: 'Expiry month', name: 'expirymonth', type: 'string', values: [], required: true, validations: { minLength: 2, maxLength: 2 } },
  { label: 'CVV', name: 'cardcvv', type: 'string', values: [], required: true, validations: { minLength: 3, maxLength: 4 } },
];
export const PAYIN_BANK_INPUTS = [
  { label: 'Document', name: 'document', type: 'string', values: [], required: true, validations: { minLength: 8, maxLength: 14 } },
  { label: 'phone', name: 'phone', type: 'string', values: [], required: false, validations: { minLength: 11, maxLength: 18 } },
];
export const PAYOUT_INPUTS = [
  { label: "Beneficiary's name", name: 'name', type: 'string', values: [], required: true, validations: { minLength: 5, maxLength: 100 } },
  { label: "Beneficiary's document", name: 'document', type: 'string', values: [], required: true, validations: { minLength: 8, maxLength: 14 } },
  { label: 'Account number', name: 'account', type: 'string', values: [], required: true, validations: { minLength: 6, maxLength: 34 } },
  { label: 'Account type', name: 'accountType', type: 'string', values: ['checking', 'savings'], required: false, validations: null },
  { label: "Beneficiary's phone", name: 'phone', type: 'string', values: [], required: false, validations: null },
];
export const BANKS = [
  { id: 'b_101', name: 'Banco Sandbox', logo: null },
  { id: 'b_102', name: 'Banco Ejemplo', logo: null },
];

export type Json = Record<string, unknown>;
type Scenario = { kind: 'code'; code: string } | { kind: '3ds' } | { kind: 'slow' } | { kind: 'error500' } | { kind: 'normal' };

/** Deterministic outcomes from the amount's whole part (major units); apps/sandbox/README.md lists them. */
export function kashaScenario(amount: number): Scenario {
  const whole = String(Math.trunc(amount));
  if (Object.hasOwn(ERRORS, whole)) return { kind: 'code', code: whole };
  if (whole === '300') return { kind: '3ds' };
  if (whole === '777') return { kind: 'slow' };
  if (whole === '500') return { kind: 'error500' };
  return { kind: 'normal' };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const errorBody = (code: string, transactionId?: string) => ({
  statusCode: code,
  resultType: 'error',
  errorReason: ERRORS[code]?.[1] ?? 'Validation error.',
  result: transactionId ? { transactionId } : {},
});

/**
 * One POST on a fresh connection: a pooled keep-alive socket would hold the receiving server open
 * long after the notification (its close waits for idle clients).
 */
export function postOnce(url: string, body: string, contentType = 'application/json'): Promise<number | null> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve(null);
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        agent: false,
        timeout: 10_000,
        headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body), connection: 'close' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? null));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end(body);
  });
}

export function validate(inputs: typeof PAYOUT_INPUTS | typeof CARD_INPUTS, data: Json): string | null {
  for (const input of inputs) {
    const value = data[input.name];
    if (value === undefined || value === null || value === '') {
      if (input.required) return `${input.name} is required`;
      continue;
    }
    const text = String(value);
    const v = input.validations as { minLength?: number; maxLength?: number } | null;
    if (v?.minLength !== undefined && text.length < v.minLength) return `${input.name} is shorter than ${v.minLength}`;
    if (v?.maxLength !== undefined && text.length > v.maxLength) return `${input.name} is longer than ${v.maxLength}`;
    if (input.values.length && !(input.values as string[]).includes(text)) return `${input.name} must be one of ${input.values.join(', ')}`;
  }
  return null;
}

export function view(tx: KashaSandboxTransaction): Json {
  return {
    id: tx.id,
    sessionId: tx.sessionId,
    country: tx.country,
    currency: tx.currency,
    paymentAmount: tx.amount,
    method: tx.method,
    status: tx.status,
    paymentReference: tx.paymentReference,
    merchantReference: tx.merchantReference,
    customer: tx.customer,
    orderDetails: tx.extra.orderDetails ?? [],
    errors: tx.errors ?? undefined,
    createdAt: tx.createdAt,
    updatedAt: tx.updatedAt,
  };
}

export function page(title: string, action: string): string {
  return `<!doctype html><html><body><h1>Kasha sandbox</h1><p>${title.replace(/</g, '&lt;')}</p>
<form method="post" action="${action}"><input type="hidden" name="result" value="success"><button>Pay</button></form>
<form method="post" action="${action}"><input type="hidden" name="result" value="fail"><button>Fail</button></form>
<form method="post" action="${action}"><input type="hidden" name="result" value="abandon"><button>Abandon</button></form></body></html>`;
}

export function resultOf(req: FastifyRequest): string {
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Json;
  const result = String(body.result ?? (req.query as Json)?.result ?? 'success');
  return ['success', 'fail', 'abandon'].includes(result) ? result : 'success';
}

export function baseOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host}`;
}

export function mask(pan: string): string {
  return `${pan.slice(0, 6)}******${pan.slice(-4)}`;
}

export function redactCard(body: Json): Json {
  const extra = body.extraData && typeof body.extraData === 'object' ? { ...(body.extraData as Json) } : null;
  if (extra && typeof extra.cardnum === 'string') extra.cardnum = mask(extra.cardnum);
  if (extra && 'cardcvv' in extra) extra.cardcvv = '***';
  return extra ? { ...body, extraData: extra } : body;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
