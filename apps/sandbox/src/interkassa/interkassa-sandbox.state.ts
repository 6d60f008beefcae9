import { Injectable } from '@nestjs/common';

export interface SandboxCheckout {
  checkoutId: string;
  secretKey: string;
  testKey: string;
  signAlgorithm: 'md5' | 'sha256';
  customerId: string;
  apiKey: string;
  accountID: string;
  walletId: string;
  /** Interkassa's "Interaction URL for withdraw", a checkout setting. */
  withdrawCallbackUrl: string | null;
  purseBalance: number;
}

export interface SandboxInvoice {
  id: string;
  checkoutId: string;
  paymentNo: string;
  amount: string;
  currency: string;
  payway: string;
  description: string;
  interactionUrl: string | null;
  successUrl: string | null;
  failUrl: string | null;
  cardMask: string | null;
  /** ik_inv_st of the notification and `state` of the co-invoice resource. */
  invState: 'new' | 'waitAccept' | 'process' | 'success' | 'canceled' | 'fail';
  coState: string;
  refunded: number;
  created: string;
  processed: string;
  /** From `ik_ltm`: after it the invoice cannot be paid and reads as state 5 (expired). */
  expiresAt: number;
  /** `ik_x_*` fields of the request, echoed in the notification as the SCI protocol says. */
  echo?: Record<string, string>;
}

export interface SandboxPayout {
  id: string;
  checkoutId: string;
  paymentNo: string;
  purseId: string;
  amount: string;
  currency: string;
  method: string;
  details: Record<string, string>;
  state: string;
  stateName: string;
  created: string;
}

export interface RecordedRequest {
  at: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  fields: Record<string, string>;
}

/** Demo checkout, the same values as payhub's demo seed (the sandbox does not import payhub code). */
export const SANDBOX_DEMO_CHECKOUT: Omit<SandboxCheckout, 'purseBalance'> = {
  checkoutId: '620bb8ed61a8e529093dea5e',
  secretKey: 'demo-ik-sign-key',
  testKey: 'demo-ik-test-key',
  signAlgorithm: 'sha256',
  customerId: 'demo-ik-user',
  apiKey: 'demo-ik-api-key',
  accountID: '620bb252a888ad66f31d2fa1',
  walletId: '302120998124',
  withdrawCallbackUrl: null,
};

/** Everything the simulator knows, in memory only. */
/** Readings of what Interkassa does not publish; the simulator can be switched to each. */
export interface IkSandboxReadings {
  withdrawCallback: { idField: 'paymentNo' | 'ik_pm_no'; signed: boolean };
  /** `GET /purse/{id}`: keyed by purse id as the documented list is (`keyed`), or the purse itself (`flat`). */
  purseAnswer: 'keyed' | 'flat';
  /** `GET /co-invoice` and `GET /withdraw` lists: keyed by id (`keyed`) or a JSON array (`array`). */
  listShape: 'keyed' | 'array';
  /** Invoice amount and currency fields: `am` / `cur` as the SCI's `ik_am` / `ik_cur` (`short`), or `amount` / `currency` (`long`). */
  invoiceFields: 'short' | 'long';
}

export const IK_DEFAULT_READINGS: IkSandboxReadings = {
  withdrawCallback: { idField: 'paymentNo', signed: true },
  purseAnswer: 'keyed',
  listShape: 'keyed',
  invoiceFields: 'short',
};

@Injectable()
export class InterkassaSandboxState {
  readings: IkSandboxReadings = { ...IK_DEFAULT_READINGS };
  readonly checkouts = new Map<string, SandboxCheckout>();
  readonly invoices = new Map<string, SandboxInvoice>();
  readonly payouts = new Map<string, SandboxPayout>();
  readonly requests: RecordedRequest[] = [];
  /** `checkoutId:paymentNo` → invoice / payout: uniqueness checks and look-ups stay O(1) under load. */
  private readonly invoicesByPaymentNo = new Map<string, SandboxInvoice>();
  private readonly payoutsByPaymentNo = new Map<string, SandboxPayout>();
  private seq = 0;

  constructor() {
    this.checkouts.set(SANDBOX_DEMO_CHECKOUT.checkoutId, { ...SANDBOX_DEMO_CHECKOUT, purseBalance: 1_000_000 });
  }

  nextId(): string {
    this.seq += 1;
    return `${Date.now()}${String(this.seq).padStart(6, '0')}`;
  }

  addInvoice(invoice: SandboxInvoice): void {
    this.invoices.set(invoice.id, invoice);
    this.invoicesByPaymentNo.set(`${invoice.checkoutId}:${invoice.paymentNo}`, invoice);
  }

  invoiceByPaymentNo(checkoutId: string, paymentNo: string): SandboxInvoice | undefined {
    return this.invoicesByPaymentNo.get(`${checkoutId}:${paymentNo}`);
  }

  addPayout(payout: SandboxPayout): void {
    this.payouts.set(payout.id, payout);
    this.payoutsByPaymentNo.set(`${payout.checkoutId}:${payout.paymentNo}`, payout);
  }

  payoutByPaymentNo(checkoutId: string, paymentNo: string): SandboxPayout | undefined {
    return this.payoutsByPaymentNo.get(`${checkoutId}:${paymentNo}`);
  }

  checkoutByCustomer(customerId: string): SandboxCheckout | undefined {
    return [...this.checkouts.values()].find((c) => c.customerId === customerId);
  }

  record(entry: Omit<RecordedRequest, 'at'>): void {
    this.requests.push({ at: new Date().toISOString(), ...entry });
    if (this.requests.length > 10_000) this.requests.splice(0, this.requests.length - 10_000);
  }
}

export function ikNow(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}
