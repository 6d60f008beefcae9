import { revealed, type ResolvedAccount } from '@payhub/providers-core';
import { FailureCode } from '@payhub/domain';
import type { InterkassaAccountSchema, InterkassaPayoutCalcKey } from './interkassa-account.schema';

/** Payways of Indian methods as seen in Interkassa integrations (NOTES §1.6); accounts override them. */
export const DEFAULT_SERVICE_PAYWAYS: Readonly<Record<string, string>> = {
  UPI: 'inps_cpaytrz_merchantUPI_inr',
  NET_BANKING: 'inps_cpaytrz_merchantNetBanking_inr',
};

/** Payout `method` per TxType; the card one is the account's `method`. Accounts override them. */
export const DEFAULT_PAYOUT_METHODS: Readonly<Record<string, string>> = {
  WalletWithdrawal: 'upi',
  BankLocalWithdrawal: 'bank_transfer',
};

export interface InterkassaSettings extends InterkassaAccountSchema {
  servicePaywayMap: Record<string, string>;
  payoutMethodMap: Record<string, string>;
  calcKey: InterkassaPayoutCalcKey;
  /** Interkassa's refusal codes (SCI `resultCode`, API `code`) this account knows the cause of. */
  refusalCodeMap: Record<string, FailureCode>;
}

export function interkassaSettings(account: ResolvedAccount): InterkassaSettings {
  const s = account.settings as unknown as InterkassaAccountSchema;
  return {
    ...s,
    secretKey: revealed(s.secretKey) ?? '',
    testKey: revealed(s.testKey),
    apiKey: revealed(s.apiKey),
    signAlgorithm: s.signAlgorithm ?? 'sha256',
    servicePaywayMap: { ...DEFAULT_SERVICE_PAYWAYS, ...parsePairs(s.servicePayways) },
    payoutMethodMap: { ...DEFAULT_PAYOUT_METHODS, ...parsePairs(s.payoutMethods) },
    calcKey: s.payoutCalcKey ?? 'psPayeeAmount',
    refusalCodeMap: parsePairs(s.refusalCodes) as Record<string, FailureCode>,
  };
}

function parsePairs(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  return Object.fromEntries(
    raw
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)
      .map((e) => e.split('->').map((p) => p.trim()) as [string, string]),
  );
}
