import { ResolvedAccount, revealed, TransactionView } from '@payhub/providers-core';
import { GENERIC_SERVICES } from '@payhub/domain';
import type { PaykassmaUrlHashCache } from './paykassma-url-hash.cache';
import type { PaykassmaWalletListCache } from './paykassma-wallet-list.cache';

export const PAYKASSMA = 'paykassma';
export const DEFAULT_REDIRECT_PAYMENT_SYSTEMS = ['bkash_api', 'nagad_api'];
export const DEFAULT_ACTIVATION_AMOUNT_WALLETS = ['upi_p2p', 'phone_pe'];
/** Wallet types whose manual makes the payment screenshot mandatory (Itau Paraguay manual), whatever the list says. */
const SCREENSHOT_WALLETS = ['itau_ml'];

/** The provider's two in-process caches, handed to the flows that use them. */
export interface PaykassmaCaches {
  hashes: PaykassmaUrlHashCache;
  walletLists: PaykassmaWalletListCache;
}

export interface PaykassmaSettings {
  pluginApiSecret: string;
  withdrawalPrivateKey?: string;
  postbackAccessKey: string;
  postbackPrivateKey: string;
  redirectPaymentSystems?: string;
  activationAmountWalletTypes?: string;
  acceptCreditedAmount?: boolean;
  paymentWindow?: boolean;
  pluginUrl?: string;
  language?: string;
  paymentUrlSuccessId?: string;
  paymentUrlFailId?: string;
  paymentUrlPendingId?: string;
  possibleTransactionEncoding?: 'multipart' | 'json';
  depositNextAction?: 'ACTIVATE' | 'DISPLAY_DETAILS';
  withdrawalRequiredFields?: string;
}

/** What the adapter keeps on a deposit (`providerData`) to activate and settle it later. */
export interface PaykassmaDepositData {
  flow: 'activation' | 'redirect' | 'window';
  walletType?: string | null;
  label: string;
  isManual?: boolean;
  uploadingPaymentBill?: boolean;
  activation?: { transactionNumber: string; answer: string; at: string };
}

export type Json = Record<string, unknown>;

export function screenshotRequired(walletType: string, isManual: boolean | undefined, uploadingPaymentBill: boolean | undefined): boolean {
  return SCREENSHOT_WALLETS.includes(walletType) || (isManual === true && uploadingPaymentBill === true);
}

/** The account's settings with its keys in clear, for the one call that uses them. */
export function settingsOf(account: ResolvedAccount): PaykassmaSettings {
  const s = account.settings;
  return {
    ...(s as unknown as PaykassmaSettings),
    pluginApiSecret: revealed(s.pluginApiSecret) ?? '',
    withdrawalPrivateKey: revealed(s.withdrawalPrivateKey),
    postbackAccessKey: revealed(s.postbackAccessKey) ?? '',
    postbackPrivateKey: revealed(s.postbackPrivateKey) ?? '',
  };
}

export function listSetting(value: string | undefined, fallback: string[]): string[] {
  return value ? value.split('|') : fallback;
}

export function isGeneric(service: string | null | undefined): boolean {
  return !service || (GENERIC_SERVICES as readonly string[]).includes(service.toUpperCase());
}

export function depositData(tx: TransactionView): PaykassmaDepositData | null {
  return ((tx.providerData ?? {}) as { paykassma?: PaykassmaDepositData }).paykassma ?? null;
}
