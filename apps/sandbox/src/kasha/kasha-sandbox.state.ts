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
}

export const KASHA_DEFAULT_READINGS: KashaSandboxReadings = {
  paymentSuboptionsEncoding: 'multipart',
  bankDirectPaymentAnswer: 'redirect',
  apiKeyHeader: 'x-api-key',
  linkField: 'redirectUrl',
  hostedPayoutConfirmation: 'portal',
};

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
