/** PaymentIQ's transaction types, kept so PaymentIQ users feel at home. */
export enum TxType {
  CreditcardDeposit = 'CreditcardDeposit',
  BankDeposit = 'BankDeposit',
  WalletDeposit = 'WalletDeposit',
  CreditcardWithdrawal = 'CreditcardWithdrawal',
  WalletWithdrawal = 'WalletWithdrawal',
  BankLocalWithdrawal = 'BankLocalWithdrawal',
  Refund = 'Refund',
  Reversal = 'Reversal',
}

export type Direction = 'DEPOSIT' | 'WITHDRAWAL';

export const DEPOSIT_TX_TYPES: readonly TxType[] = [TxType.CreditcardDeposit, TxType.BankDeposit, TxType.WalletDeposit];
export const WITHDRAWAL_TX_TYPES: readonly TxType[] = [TxType.CreditcardWithdrawal, TxType.WalletWithdrawal, TxType.BankLocalWithdrawal];
/** Child transactions that give a deposit's money back; together they never exceed the deposit. */
export const RETURN_TX_TYPES: readonly TxType[] = [TxType.Refund, TxType.Reversal];
export const CARD_TX_TYPES: readonly TxType[] = [TxType.CreditcardDeposit, TxType.CreditcardWithdrawal];

export function directionOf(txType: TxType): Direction | null {
  if (DEPOSIT_TX_TYPES.includes(txType)) return 'DEPOSIT';
  if (WITHDRAWAL_TX_TYPES.includes(txType)) return 'WITHDRAWAL';
  return null;
}

/** Known services refining a TxType; provider wallet types (paytm, bkash, itau_ml, ...) are free-form. */
export const GENERIC_SERVICES = ['UPI', 'WALLET', 'NET_BANKING'] as const;
