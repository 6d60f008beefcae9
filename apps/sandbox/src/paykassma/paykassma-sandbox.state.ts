import { createHash } from 'node:crypto';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { sbJsonEncode, sbPostbackSignature } from './paykassma-sandbox.php';

export interface PkSandboxAccount {
  secret: string;
  accessKey: string;
  privateKey: string;
  withdrawalKey: string;
  /** Where postbacks go (payhub's `/callbacks/paykassma`). */
  postbackUrl: string | null;
  /** Major units per currency. */
  balances: Record<string, number>;
}

export interface PkWallet {
  type: string;
  currency: string;
  name: string;
  isManual: boolean;
  bill: boolean;
  /** Minimum deposit (major units): smaller payments are stockpiled until the sum reaches it. */
  min: number;
  order: number;
}

export const PK_WALLETS: PkWallet[] = [
  { type: 'paytm', currency: 'INR', name: 'Paytm', isManual: false, bill: false, min: 100, order: 1 },
  { type: 'phone_pe', currency: 'INR', name: 'PhonePe', isManual: false, bill: false, min: 100, order: 2 },
  { type: 'upi_p2p', currency: 'INR', name: 'UPI P2P', isManual: false, bill: false, min: 100, order: 3 },
  { type: 'bkash', currency: 'BDT', name: 'bKash', isManual: false, bill: false, min: 50, order: 4 },
  { type: 'nagad', currency: 'BDT', name: 'Nagad', isManual: false, bill: false, min: 50, order: 5 },
  { type: 'bkash_api', currency: 'BDT', name: 'bKash API', isManual: false, bill: false, min: 50, order: 6 },
  { type: 'nagad_api', currency: 'BDT', name: 'Nagad API', isManual: false, bill: false, min: 50, order: 7 },
  { type: 'itau_ml', currency: 'PYG', name: 'Itau Paraguay Manual', isManual: true, bill: true, min: 10000, order: 8 },
];

/** The demo merchant's account (scripts/demo/demo-providers.ts seeds payhub with the same keys). */
export const PK_DEMO_ACCOUNT: PkSandboxAccount = {
  secret: 'demo-plugin-secret',
  accessKey: 'demo-access-key',
  privateKey: 'demo-postback-key',
  withdrawalKey: 'demo-withdrawal-key',
  postbackUrl: 'http://127.0.0.1:3000/callbacks/paykassma',
  balances: { INR: 1_000_000, BDT: 1_000_000, PYG: 100_000_000 },
};

export interface PkDepositItem {
  secret: string;
  transactionId: string;
  customId: string | null;
  wallet: PkWallet;
  label: string;
  amount: number;
  createdAt: string;
  activatedAt: string;
}

export interface PkWithdrawal {
  secret: string;
  body: Record<string, unknown>;
  status: 1 | 5 | null;
}

export interface PkDelivery {
  id: number;
  secret: string;
  url: string;
  body: string;
  attempts: Array<{ at: string; status: number | null; answer: string }>;
  delivered: boolean;
}

/** Retry schedule for postbacks nobody acknowledged: quick first, then every 2 s, for a bounded time. */
const RETRY_DELAYS_MS = [100, 200, 400, 800, 1600];
const MAX_ATTEMPTS = 30;

export const pkNow = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');

/** Readings where the documents disagree or are silent; the simulator can be switched to each. */
export interface PkSandboxReadings {
  /** The wallet list's `uploading_payment_bill` for itau_ml (the manual requires a screenshot either way). */
  itauListsPaymentBill: boolean;
  /** Fields a PS requires beyond the document's table ("contact support for the complete list"). */
  extraWithdrawalRequired: Record<string, string[]>;
}

export const PK_DEFAULT_READINGS: PkSandboxReadings = { itauListsPaymentBill: true, extraWithdrawalRequired: {} };

@Injectable()
export class PaykassmaSandboxState implements OnModuleDestroy {
  readings: PkSandboxReadings = { ...PK_DEFAULT_READINGS };
  readonly accounts = new Map<string, PkSandboxAccount>([[PK_DEMO_ACCOUNT.secret, structuredClone(PK_DEMO_ACCOUNT)]]);
  /** Activated transactions waiting for the user's sum to reach the minimum, by account|label|wallet|currency. */
  readonly stockpiles = new Map<string, PkDepositItem[]>();
  /** Credited stockpiles (a postback each), for `postback` / `pullpostbacks`. */
  readonly credited: Array<{ stockpilingId: number; items: PkDepositItem[] }> = [];
  readonly usedKey1 = new Set<string>();
  readonly usedCustomIds = new Set<string>();
  /** Activations held back (possible transaction / suspicious), approved through the control API. */
  readonly held = new Map<string, Omit<PkDepositItem, 'activatedAt'>>();
  readonly redirectOrders = new Map<string, { item: Omit<PkDepositItem, 'activatedAt'>; state: 'open' | 'paid' | 'failed' }>();
  readonly withdrawals = new Map<string, PkWithdrawal>();
  readonly deliveries: PkDelivery[] = [];
  readonly stats = { hashUrlCalls: 0, availableCalls: 0 };
  private stockpilingSeq = 11000;
  private timers = new Set<NodeJS.Timeout>();

  onModuleDestroy(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  later(ms: number, run: () => void | Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void run();
    }, ms);
    this.timers.add(timer);
  }

  stockpileOf(secret: string, label: string, wallet: PkWallet): { key: string; items: PkDepositItem[] } {
    const key = [secret, label, wallet.type, wallet.currency].join('|');
    return { key, items: this.stockpiles.get(key) ?? [] };
  }

  /** An activated payment joins the user's savings; once they reach the minimum, one postback covers them all. */
  credit(item: PkDepositItem): void {
    const { key, items } = this.stockpileOf(item.secret, item.label, item.wallet);
    items.push(item);
    const sum = items.reduce((s, i) => s + i.amount, 0);
    if (sum + 1e-9 < item.wallet.min) {
      this.stockpiles.set(key, items);
      return;
    }
    this.stockpiles.delete(key);
    const stockpilingId = ++this.stockpilingSeq;
    this.credited.push({ stockpilingId, items });
    const digits = item.wallet.currency === 'PYG' ? 0 : 2;
    const additional = items.map((i) => ({
      activated_datetime: i.activatedAt,
      exchanger_identifier: null,
      comment: '',
      amount: i.amount.toFixed(digits),
      currency_code: i.wallet.currency,
      wallet_type: i.wallet.type,
      stockpiling_id: stockpilingId,
      transaction_id: i.transactionId,
      transaction_type: 0,
      plugin_custom_order_id: i.customId ?? '',
      withdrawal_id: null,
      withdrawal_status: null,
      account_number: '',
      account_name: '',
      account_email: '',
      bank_details: { bank_code: '', branch_code: '' },
    }));
    const account = this.accounts.get(item.secret)!;
    account.balances[item.wallet.currency] = (account.balances[item.wallet.currency] ?? 0) + sum;
    this.sendPostback(
      account,
      {
        wallet_type: item.wallet.type,
        amount: Number(sum.toFixed(digits)),
        currency_code: item.wallet.currency,
        label: item.label,
        direction: 'ingoing',
        created_datetime: pkNow(),
        access_key: account.accessKey,
      },
      additional,
    );
  }

  withdrawalPostback(secret: string, w: PkWithdrawal): void {
    const account = this.accounts.get(secret)!;
    const b = w.body;
    this.sendPostback(
      account,
      {
        wallet_type: b.payment_system,
        amount: b.amount,
        currency_code: b.currency_code,
        label: b.label,
        direction: 'outgoing',
        created_datetime: pkNow(),
        access_key: account.accessKey,
      },
      [
        {
          activated_datetime: '',
          exchanger_identifier: '',
          comment: typeof b.comment === 'string' ? b.comment : '',
          amount: String(b.amount),
          currency_code: b.currency_code,
          wallet_type: b.payment_system,
          stockpiling_id: null,
          transaction_id: '',
          transaction_type: null,
          plugin_custom_order_id: '',
          withdrawal_id: b.withdrawal_id,
          withdrawal_status: w.status,
          account_number: b.account_number ?? '',
          account_name: b.account_name ?? '',
          account_email: b.account_email ?? '',
          bank_details: {
            bank_code: (b.bank_details as Record<string, unknown> | undefined)?.bank_code ?? null,
            branch_code: (b.bank_details as Record<string, unknown> | undefined)?.branch_code ?? null,
          },
        },
      ],
    );
  }

  /**
   * Signs like Paykassma (md5 over the unescaped compact JSON of the list) but sends the body the way
   * plain `json_encode` writes it (`\/`, `\u00f1`), so a receiver that hashes the raw bytes fails.
   */
  private sendPostback(account: PkSandboxAccount, head: Record<string, unknown>, additional: unknown[]): void {
    const signature = sbPostbackSignature(account.accessKey, account.privateKey, additional);
    const body = sbJsonEncode({ signature, ...head, additional_data: additional }, true);
    const delivery: PkDelivery = {
      id: this.deliveries.length + 1,
      secret: account.secret,
      url: account.postbackUrl ?? '',
      body,
      attempts: [],
      delivered: false,
    };
    this.deliveries.push(delivery);
    if (account.postbackUrl) this.later(20, () => this.attempt(delivery));
  }

  private async attempt(delivery: PkDelivery): Promise<void> {
    let status: number | null = null;
    let answer = '';
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: delivery.body,
        signal: AbortSignal.timeout(5000),
      });
      status = response.status;
      answer = (await response.text()).slice(0, 300);
    } catch (error) {
      answer = (error as Error).message;
    }
    delivery.attempts.push({ at: new Date().toISOString(), status, answer });
    let ok = false;
    try {
      ok = status === 200 && (JSON.parse(answer) as { status?: string }).status === 'ok';
    } catch {
      ok = false;
    }
    delivery.delivered = ok;
    if (!ok && delivery.attempts.length < MAX_ATTEMPTS) {
      this.later(RETRY_DELAYS_MS[delivery.attempts.length - 1] ?? 2000, () => this.attempt(delivery));
    }
  }

  /** A stable pay-to identifier per user and wallet, as a real wallet pool would hand out. */
  payTo(label: string, wallet: PkWallet): Record<string, unknown> {
    const digits = BigInt('0x' + createHash('sha256').update(`${label}|${wallet.type}`).digest('hex').slice(0, 12))
      .toString()
      .padStart(10, '0')
      .slice(0, 10);
    if (wallet.type === 'itau_ml') return { 'Account number': `22${digits.slice(0, 7)}`, 'Account name': 'Sandbox Itau Receiver', is_check_amount: null };
    return { identifier: digits };
  }

  nextId(): string {
    return String(Date.now()).slice(-9) + String(Math.floor(Math.random() * 1000)).padStart(3, '0');
  }
}
