import { ErrorDetail, asJsonMajor } from '@payhub/common';
import type { WithdrawalRequest } from '@payhub/providers-core';

/**
 * Required withdrawal fields per payment system, from the document's table (bkash, imps_ib, paytm) and
 * the field list (`account_name` for imps_ib/upi_ib) plus the Itau Paraguay manual. Support gives the
 * complete list per PS, so an account can override any row (`withdrawalRequiredFields`).
 */
export const DEFAULT_WITHDRAWAL_REQUIRED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  bkash: ['account_number', 'account_email'],
  imps_ib: ['account_number', 'account_name', 'bank_details.bank_code'],
  upi_ib: ['account_number', 'account_name'],
  paytm: ['account_number'],
  itau_ml: ['account_number', 'account_name'],
};

/** Formats the documents state for a field of one PS. */
const FIELD_FORMATS: Readonly<Record<string, Record<string, { pattern: RegExp; issue: string }>>> = {
  itau_ml: { account_number: { pattern: /^\d{7,9}$/, issue: 'must be 7 to 9 digits (Itau account number)' } },
};

/** Where each Paykassma field comes from in payhub's request, for error messages naming the caller's field. */
const SOURCE_FIELD: Record<string, string> = {
  account_number: 'wallet.account',
  account_name: 'bank.accountName',
  account_email: 'customer.email',
  'bank_details.bank_code': 'bank.bankCode',
  'bank_details.branch_code': 'bank.branchCode',
  'bank_details.bank_code_in_payments_system': 'bank.providerBankCode',
  'payments_details.payments_method': 'bank.paymentMethod',
  'payments_details.payments_provider': 'bank.paymentProvider',
  account_digit: 'bank.accountDigit',
  account_type: 'bank.accountType',
  iban: 'bank.iban',
  document_type: 'customer.identify.type',
  document_id: 'customer.identify.number',
};

/** The request fields a PS's payout needs, named as payhub's API takes them; `account_number` comes from the wallet or the bank block. */
export function withdrawalInputFields(ps: string, via: 'wallet' | 'bank', overrides: Record<string, string[]>): Array<{ field: string; required: boolean }> {
  const required = overrides[ps] ?? DEFAULT_WITHDRAWAL_REQUIRED_FIELDS[ps] ?? [];
  const fields = required.map((f) => ({
    field: f === 'account_number' ? (via === 'bank' ? 'bank.accountNumber' : 'wallet.account') : (SOURCE_FIELD[f] ?? f),
    required: true,
  }));
  // A bank payout always pays to an account: the bank block's account number, even where the table names none.
  if (via === 'bank' && !fields.some((f) => f.field === 'bank.accountNumber')) fields.unshift({ field: 'bank.accountNumber', required: true });
  return fields;
}

export function parseRequiredFieldOverrides(value: unknown): Record<string, string[]> {
  if (typeof value !== 'string' || !value) return {};
  return Object.fromEntries(
    value.split(';').map((row) => {
      const [ps, fields] = row.split(':');
      return [ps, fields.split(',')];
    }),
  );
}

/** The `v2/withdrawal/create` body before signing; undefined fields are left out. */
export function withdrawalBody(req: WithdrawalRequest, isTest: boolean, comment: string | null): Record<string, unknown> {
  const fullName = [req.customer?.firstName, req.customer?.lastName].filter(Boolean).join(' ');
  const bankDetails = compact({
    bank_code: req.bank?.bankCode ?? req.bank?.clearingNumber,
    branch_code: req.bank?.branchCode,
    bank_code_in_payments_system: req.bank?.providerBankCode,
  });
  const paymentsDetails = compact({ payments_method: req.bank?.paymentMethod, payments_provider: req.bank?.paymentProvider });
  return compact({
    withdrawal_id: req.txId,
    payment_system: req.service ?? undefined,
    amount: asJsonMajor(req.amount, req.currency),
    currency_code: req.currency,
    label: req.userId,
    is_test: isTest,
    comment: comment ?? undefined,
    account_number: req.wallet?.account ?? req.bank?.accountNumber,
    account_name: req.bank?.accountName ?? (fullName || undefined),
    account_email: req.customer?.email,
    account_type: req.bank?.accountType,
    iban: req.bank?.iban,
    document_type: req.customer?.identify?.type,
    document_id: req.customer?.identify?.number,
    account_digit: req.bank?.accountDigit,
    payments_details: Object.keys(paymentsDetails).length ? paymentsDetails : undefined,
    bank_details: Object.keys(bankDetails).length ? bankDetails : undefined,
  });
}

/** Checks a body against the PS's required fields and formats; the document forbids surrounding spaces. */
export function checkWithdrawalBody(body: Record<string, unknown>, overrides: Record<string, string[]>): ErrorDetail[] {
  const ps = String(body.payment_system ?? '');
  const issues: ErrorDetail[] = [];
  const required = overrides[ps] ?? DEFAULT_WITHDRAWAL_REQUIRED_FIELDS[ps] ?? [];
  const valueOf = (path: string): unknown =>
    path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), body);
  for (const field of required) {
    const value = valueOf(field);
    if (value === undefined || value === null || value === '')
      issues.push({ field: SOURCE_FIELD[field] ?? field, issue: `is required for Paykassma ${ps} withdrawals (${field})` });
  }
  for (const [field, format] of Object.entries(FIELD_FORMATS[ps] ?? {})) {
    const value = valueOf(field);
    if (typeof value === 'string' && !format.pattern.test(value)) issues.push({ field: SOURCE_FIELD[field] ?? field, issue: format.issue });
  }
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string' && value !== value.trim())
      issues.push({ field: SOURCE_FIELD[path] ?? path, issue: 'must not start or end with spaces (Paykassma)' });
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(body, '');
  return issues;
}

function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && v !== null));
}
