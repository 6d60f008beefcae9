import { fromMajorString } from '@payhub/common';
import { FailureCode, TxStatus, TxType } from '@payhub/domain';
import type { ProviderOutcome, TransactionView } from '@payhub/providers-core';
import { str } from './kasha-answers';
import type { KashaHttp } from './kasha-http';

type Json = Record<string, unknown>;

export function isDeposit(tx: TransactionView): boolean {
  return tx.txType === TxType.CreditcardDeposit || tx.txType === TxType.BankDeposit || tx.txType === TxType.WalletDeposit;
}

export function sessionExpired(tx: TransactionView): boolean {
  const at = str(tx.providerData?.sessionExpiresAt);
  return !!at && Date.parse(at) < Date.now();
}

export function expiredOutcome(http: KashaHttp): ProviderOutcome {
  return {
    status: TxStatus.FAILED,
    failure: { code: FailureCode.EXPIRED, reason: 'The Kasha session expired without a payment', providerMessage: null },
    providerData: { kashaStatus: 'EXPIRED' },
    raw: http.raw(),
  };
}

export function declinedByStaff(reason: string | null | undefined): { code: FailureCode; reason: string; providerCode: null; providerMessage: string | null } {
  return { code: FailureCode.DECLINED_BY_STAFF, reason: 'The payout was declined by staff', providerCode: null, providerMessage: reason ?? null };
}

/**
 * Kasha's `paymentAmount` and `currency` (exact decimal conversion, never rounded), compared with the
 * payment's by ApplyOutcomeService. An amount that does not read in its currency is kept as a string
 * in the exchange and reported as no amount; a currency Kasha names is always reported.
 */
export function reportedMoney(json: Json, readIn: string): { amount: bigint | null; currency: string | null } {
  const currency = str(json.currency)?.toUpperCase() ?? null;
  const value = json.paymentAmount;
  if (typeof value !== 'number' && typeof value !== 'string') return { amount: null, currency };
  try {
    return { amount: fromMajorString(value, currency ?? readIn), currency };
  } catch {
    return { amount: null, currency };
  }
}
