import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** How long a `payment-systems/available` answer is reused for activation deposits. */
export const WALLET_LIST_TTL_MS = 5 * 60 * 1000;
const MAX_ENTRIES = 1000;

export type PaykassmaWallet = Record<string, unknown> & { type: string; currency_code: string };

/**
 * The wallet list per account and currency, in process memory. An activation deposit needs only a
 * wallet's flags (`is_manual`, `uploading_payment_bill`), which do not change per deposit, so the list
 * is not fetched for each one; a wallet missing from a cached list is asked for again before the deposit
 * is refused, so a newly enabled wallet is never turned away by the cache.
 */
@Injectable()
export class PaykassmaWalletListCache {
  private readonly entries = new Map<string, { wallets: PaykassmaWallet[]; expiresAt: number }>();

  key(apiBase: string, secret: string, currency: string): string {
    return createHash('sha256')
      .update(JSON.stringify([apiBase, secret, currency]))
      .digest('hex');
  }

  get(key: string, now = Date.now()): PaykassmaWallet[] | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return null;
    }
    return entry.wallets;
  }

  set(key: string, wallets: PaykassmaWallet[], now = Date.now()): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { wallets, expiresAt: now + WALLET_LIST_TTL_MS });
  }
}
