import { fromMajorString } from '@payhub/common';
import { FailureCode, TxStatus } from '@payhub/domain';
import { mapStatus, statusTable, type ProviderOutcome, type TransactionView } from '@payhub/providers-core';
import { PhpAssoc, PhpValue, toPhpValue } from './php-json';

type Json = Record<string, unknown>;

/** How Paykassma's postbacks and pulls read: deposit credits and withdrawal statuses, with the money they state. */
export function plain(value: PhpValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '1' : '';
  if (Array.isArray(value) || value instanceof PhpAssoc) return '';
  return value.kind === 'int' ? value.text : String(value.value);
}

export function amountOf(value: PhpValue | undefined, currency: string): bigint | null {
  const text = plain(value);
  if (!text || !currency) return null;
  try {
    return fromMajorString(text, currency);
  } catch {
    return null;
  }
}

/**
 * A credited deposit item: the amount and currency Paykassma states, compared with the payment's by
 * ApplyOutcomeService. `readIn` is the currency to read an amount in when the postback names none.
 */
export function depositOutcome(item: PhpAssoc, statedCurrency: string, acceptCreditedAmount: boolean, readIn = ''): Omit<ProviderOutcome, 'raw'> {
  const currency = (plain(item.get('currency_code')) || statedCurrency).toUpperCase();
  const amount = amountOf(item.get('amount'), currency || readIn);
  return {
    status: TxStatus.SUCCESSFUL,
    providerTxId: plain(item.get('transaction_id')) || null,
    amount,
    currency: currency || null,
    creditedAmountAllowed: acceptCreditedAmount,
    providerData: {
      paykassmaCredit: {
        amount: amount?.toString() ?? null,
        currency,
        stockpilingId: plain(item.get('stockpiling_id')) || null,
        transactionId: plain(item.get('transaction_id')) || null,
        walletType: plain(item.get('wallet_type')) || null,
        activatedAt: plain(item.get('activated_datetime')) || null,
      },
    },
  };
}

/** A withdrawal item of a postback, with the amount and currency it states (compared when it settles). */
export function withdrawalOutcome(item: PhpAssoc): Omit<ProviderOutcome, 'raw'> {
  const currency = plain(item.get('currency_code')).toUpperCase();
  return {
    ...withdrawalStatus(plain(item.get('withdrawal_status')), plain(item.get('comment'))),
    amount: amountOf(item.get('amount'), currency),
    currency: currency || null,
  };
}

/** Paykassma's withdrawal statuses ("Withdrawal status": PROCESSED 1, REJECTED 5): every documented one, nothing else. */
const WITHDRAWAL_STATUSES = statusTable<'1' | '5'>({
  '1': { status: TxStatus.SUCCESSFUL },
  '5': { status: TxStatus.FAILED, failure: { code: FailureCode.DECLINED_BY_PROVIDER, reason: 'Paykassma rejected the withdrawal', providerCode: '5' } },
});

/** A withdrawal status; any other value is not guessed (INCONSISTENT, for a later check or staff). */
export function withdrawalStatus(status: string, comment: string): Omit<ProviderOutcome, 'raw'> {
  const mapped = mapStatus(WITHDRAWAL_STATUSES, status, 'withdrawal status', 'Paykassma');
  return mapped.failure && status === '5' ? { ...mapped, failure: { ...mapped.failure, providerMessage: comment || null } } : mapped;
}

/** A deposit postback as `postback`/`pullpostbacks` return it (older shape: `transactions`, `custom_id`). */
export function depositFromPull(
  postback: Json,
  tx: TransactionView,
  acceptSingle: boolean,
  acceptCreditedAmount: boolean,
): Omit<ProviderOutcome, 'raw'> | null {
  const txId = tx.id;
  const list = (postback.transactions ?? postback.additional_data) as Json[] | undefined;
  if (!Array.isArray(list)) return null;
  const named = list.find((t) => t.custom_id === txId || t.plugin_custom_order_id === txId);
  // `postback?custom_id=` answers for that order; its single transaction may not echo the id.
  const item = named ?? (acceptSingle && list.length === 1 ? list[0] : undefined);
  if (!item) return null;
  return depositOutcome(
    toPhpValue(item) as PhpAssoc,
    typeof postback.currency_code === 'string' ? postback.currency_code : '',
    acceptCreditedAmount,
    tx.currency,
  );
}

export function withdrawalFromPull(postback: Json): Omit<ProviderOutcome, 'raw'> | null {
  if (postback.status === undefined || postback.status === null) return null;
  return withdrawalStatus(String(postback.status), typeof postback.comment === 'string' ? postback.comment : '');
}
