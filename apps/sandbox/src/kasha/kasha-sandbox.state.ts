import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';

export type KashaSandboxStatus = 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'DECLINED' | 'ERROR' | 'REFUNDED';

export interface KashaSandboxSession {
  id: string;
  kind: 'payin' | 'payout' | 'hosted' | 'hostedPayout';
  transactionId: string;
  expiresAt: number;
  /** Kasha allows one payment per session. */
  used: boolean;
  paymentOptionIds: Record<string, 'card' | 'bank'>;
}

export interface KashaSandboxTransaction {
  id: string;
  sessionId: string;
  type: 'PAYIN' | 'PAYOUT';
  status: KashaSandboxStatus;
  country: string;
  currency: string;
  amount: number;
  method: string | null;
  merchantReference: string | null;
  paymentReference: string | null;
  userId: string | null;
  notificationUrl: string | null;
  redirectUrl: string | null;
  customer: Record<string, unknown> | null;
  extra: Record<string, unknown>;
  /** Card as Kasha would keep it: masked. */
  cardMask: string | null;
  extraData: Record<string, unknown> | null;
  optionId: string | null;
  errors: { code: string; msg: string } | null;
  /** Every status change and settle action, oldest first: what tests read to prove what happened. */
  history: Array<{ at: string; event: string }>;
  notifications: Array<{ at: string; status: KashaSandboxStatus; httpStatus: number | null }>;
  createdAt: string;
  updatedAt: string;
}

export interface KashaSandboxRequest {
  at: string;
  method: string;
  path: string;
  /** Names of the auth headers present, never their values. */
  authHeaders: string[];
  contentType: string | null;
  body: unknown;
}

/**
 * The paths the simulator serves by default, by the names payhub's account `paths` use. Only
 * payment-options, payment-suboptions, direct-payment and settle-payout are named by Kasha's documents.
 */
export const KASHA_SANDBOX_PATHS = {
  hostedPayin: '/v2/hosted-payment',
  hostedPayout: '/v2/hosted-payout',
  hybridPayment: '/v2/hybrid-payment',
  paymentOptions: '/v2/payment-options',
  paymentSuboptions: '/v2/payment-suboptions',
  directPayment: '/v2/direct-payment',
  payoutOptions: '/v2/payout-options',
  payoutSuboptions: '/v2/payout-suboptions',
  createPayout: '/v2/payout',
  settlePayout: '/v2/settle-payout',
  refund: '/v2/refund',
  transactionStatus: '/v2/transactions/{transactionId}',
} as const;
export type KashaSandboxPathName = keyof typeof KASHA_SANDBOX_PATHS;

/** Another plausible naming of every path the documents do not give (what the tests switch to). */
export const KASHA_OTHER_PATHS: Partial<Record<KashaSandboxPathName, string>> = {
  hostedPayin: '/v2/hosted-cashier',
  hostedPayout: '/v2/hosted-cashier-payout',
  hybridPayment: '/v2/hybrid-payment-link',
  payoutOptions: '/v2/initiate-payout',
  createPayout: '/v2/create-payout',
  refund: '/v2/refund-by-reference',
  transactionStatus: '/v2/transaction/{transactionId}/status',
};

/**
 * Where Kasha's document is silent or contradicts its guide, the simulator answers one reading and can
 * be switched to the others (docs/providers/kasha.md, "to confirm with Kasha"). Explicit rules are strict.
 */
export interface KashaSandboxReadings {
  /** payment-suboptions: the reference requires multipart/form-data; the guide shows JSON. */
  paymentSuboptionsEncoding: 'multipart' | 'json' | 'either';
  /** A direct bank-transfer payment: a redirect to the bank (300), or 000 carrying only the initial status. */
  bankDirectPaymentAnswer: 'redirect' | 'initial_status';
  /** The header carrying the API key ("along with the merchant API key": its name is not published). */
  apiKeyHeader: 'x-api-key' | 'authorization' | 'api-key' | 'apikey';
  /** The field of a redirect answer carrying the customer's link: the samples show none. */
  linkField: 'redirectUrl' | 'url' | 'link' | 'paymentUrl';
  /**
   * A hosted payout once the customer filled the cashier: PENDING until confirmed in Kasha's portal
   * (or settle-payout), as the reference says of every payout; `none`: the step removed for the account.
   */
  hostedPayoutConfirmation: 'portal' | 'none';
  /**
   * Paths served instead of the defaults (by name); a default path replaced here answers 404, so an
   * adapter calling the wrong one fails.
   */
  paths: Partial<Record<KashaSandboxPathName, string>>;
  /**
   * Kasha's notification format is not published: flat JSON naming the transaction (`json`), the
   * answers' envelope `{statusCode, resultType, result: {…}}` (`wrapped`), url-encoded fields (`form`),
   * or only Kasha's own ids, no merchantReference (`bare`: the per-transaction URL must name it).
   */
  notificationBody: 'json' | 'wrapped' | 'form' | 'bare';
  /**
   * When a direct payment's notification (taken or declined) goes out: with the answer (`concurrent`), or
   * delivered before the answer is sent (`beforeAnswer`), so the merchant hears of the payment before its call returns.
   */
  notificationOrder: 'concurrent' | 'beforeAnswer';
}

export const KASHA_DEFAULT_READINGS: KashaSandboxReadings = {
  paymentSuboptionsEncoding: 'multipart',
  bankDirectPaymentAnswer: 'redirect',
  apiKeyHeader: 'x-api-key',
  linkField: 'redirectUrl',
  hostedPayoutConfirmation: 'portal',
  paths: {},
  notificationBody: 'json',
  notificationOrder: 'concurrent',
};

/**
 * The URL a request is routed by under the current `paths` reading: a replacement path goes to the
 * route serving its name, a replaced default to nowhere (404).
 */
export function kashaRoutedUrl(readings: KashaSandboxReadings, url: string): string {
  if (!url.startsWith('/kasha/v2/') || !Object.keys(readings.paths).length) return url;
  const [path, query] = [url.split('?')[0], url.includes('?') ? url.slice(url.indexOf('?')) : ''];
  const rel = path.slice('/kasha'.length);
  const pattern = (template: string) => new RegExp(`^${template.split('{transactionId}').map(escapeRegExp).join('([^/]+)')}$`);
  for (const [name, alt] of Object.entries(readings.paths) as Array<[KashaSandboxPathName, string]>) {
    const match = pattern(alt).exec(rel);
    if (match) return `/kasha${KASHA_SANDBOX_PATHS[name].replace('{transactionId}', match[1] ?? '')}${query}`;
  }
  for (const name of Object.keys(readings.paths) as KashaSandboxPathName[]) {
    if (pattern(KASHA_SANDBOX_PATHS[name]).test(rel)) return `/kasha/_sandbox/not-served${rel}`;
  }
  return url;
}

/** In-memory Kasha: sessions, transactions and the requests it saw. Lives as long as the sandbox process. */
@Injectable()
export class KashaSandboxState {
  readings: KashaSandboxReadings = { ...KASHA_DEFAULT_READINGS };
  readonly sessions = new Map<string, KashaSandboxSession>();
  readonly transactions = new Map<string, KashaSandboxTransaction>();
  readonly requests: KashaSandboxRequest[] = [];

  newId(): string {
    return randomUUID();
  }

  record(request: Omit<KashaSandboxRequest, 'at'>): void {
    this.requests.push({ at: new Date().toISOString(), ...request });
    if (this.requests.length > 5000) this.requests.splice(0, this.requests.length - 5000);
  }

  move(tx: KashaSandboxTransaction, status: KashaSandboxStatus, event: string, errors: { code: string; msg: string } | null = null): void {
    tx.status = status;
    if (errors) tx.errors = errors;
    tx.updatedAt = new Date().toISOString();
    tx.history.push({ at: tx.updatedAt, event: `${event} → ${status}` });
  }

  byMerchantReference(reference: string): KashaSandboxTransaction[] {
    return [...this.transactions.values()].filter((t) => t.merchantReference === reference);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
