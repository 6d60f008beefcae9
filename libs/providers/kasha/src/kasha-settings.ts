import type { KashaBodyEncoding, KashaDepositFlow, KashaPayoutFlow, KashaStoredTokenSource } from './kasha-account.schema';

type Json = Record<string, unknown>;

/** An account's Kasha settings as the adapter reads them (the schema is kasha-account.schema.ts). */
export interface KashaSettings {
  depositFlow?: KashaDepositFlow;
  payoutFlow?: KashaPayoutFlow;
  storedTokenSource?: KashaStoredTokenSource;
  optionNames?: { card?: string; bankTransfer?: string };
  formInputMap?: Record<string, string>;
  paymentSuboptionsEncoding?: KashaBodyEncoding;
  payoutSuboptionsEncoding?: KashaBodyEncoding;
  pendingAfterSessionExpiry?: 'wait' | 'expire';
  merchantDomain?: string;
  sessionLifetimeSeconds?: number;
  language?: string;
  redirectUrl?: string;
}

/** A payment or payout session Kasha opened: its id, its transaction and the options it offers. */
export interface KashaSession {
  sessionId: string;
  transactionId?: string;
  options: Json[];
}

export type OptionKind = 'card' | 'bankTransfer';
