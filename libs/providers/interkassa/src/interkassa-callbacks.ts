import { hash } from 'node:crypto';
import { DomainError, ErrorCode, safeEqual } from '@payhub/common';
import { TxStatus } from '@payhub/domain';
import { redact, type AccountLookup, type ProviderOutcome, type RawCallback, type VerifiedCallback } from '@payhub/providers-core';
import { isKnownCurrency, reportedMoney } from './interkassa-money';
import { interkassaSettings, type InterkassaSettings } from './interkassa-settings';
import { INTERKASSA_TEST_PAYWAY, interkassaSignature, signingKeyFor } from './interkassa-signature';
import { mapInvoiceState } from './interkassa-status';

/** What Interkassa expects back from a notification, repeats included. */
export const OK_ANSWER = { status: 200, body: 'OK', contentType: 'text/plain' } as const;

export async function parseInteraction(txId: string | undefined, fields: Record<string, string>, accounts: AccountLookup): Promise<VerifiedCallback> {
  if (!txId) throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The interaction callback names no payment');
  if (fields.ik_pm_no !== txId) throw new DomainError(ErrorCode.CALLBACK_INVALID, 'ik_pm_no does not match the transaction of the callback URL');
  const [account, tx] = await Promise.all([accounts.forTransaction(txId), accounts.transaction(txId)]);
  if (!account || !tx) throw new DomainError(ErrorCode.CALLBACK_SIGNATURE_INVALID, 'No Interkassa account to verify the callback with');
  const s = interkassaSettings(account);
  // The test key settles only what was sent as a test: on the test payway, or by an account in test mode.
  const sentAsTest = account.testMode || tx.providerData?.payway === INTERKASSA_TEST_PAYWAY;
  if (fields.ik_pw_via === INTERKASSA_TEST_PAYWAY && !sentAsTest) {
    throw new DomainError(ErrorCode.CALLBACK_SIGNATURE_INVALID, 'A test-payway notification for a payment that was not sent as a test');
  }
  verifySignature(fields, signingKeyFor(fields.ik_pw_via, s), s);
  if (fields.ik_co_id !== s.checkoutId) throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The callback is for another checkout');
  verifyEcho(fields, tx.providerData?.ikEcho);
  if (!fields.ik_inv_st) throw new DomainError(ErrorCode.CALLBACK_INVALID, 'ik_inv_st is missing');

  const invoiceId = fields.ik_inv_id || null;
  const mapped = mapInvoiceState(fields.ik_inv_st);
  const money = reportedMoney(fields.ik_am, fields.ik_cur, tx.currency);
  if (mapped.status === TxStatus.SUCCESSFUL && money.amount === null && (money.currency === null || isKnownCurrency(money.currency))) {
    throw new DomainError(ErrorCode.CALLBACK_INVALID, 'A success notification without a readable ik_am');
  }
  const outcome: ProviderOutcome = {
    ...mapped,
    ...money,
    providerTxId: invoiceId,
    providerData: { invoiceId, payway: fields.ik_pw_via ?? null, cardMask: fields.ik_p_card_mask ?? null, amountReported: fields.ik_am ?? null },
    raw: { callback: redact(fields) },
  };
  return { results: [{ txId, outcome }], dedupKey: `ik:${txId}:${invoiceId ?? '-'}:${fields.ik_inv_st}`, response: OK_ANSWER };
}

/**
 * Interkassa does not publish its payout notification, so it is only a trigger: payhub reads the
 * payout's state from GET /withdraw/{id}, never from the body. It names the payout by `paymentNo` (as
 * POST /withdraw takes it) or `ik_pm_no` (as the SCI does); whether it is signed is the account's
 * `withdrawalCallbackSigned` (default: an `ik_sign` as the SCI's, with the sign key).
 */
export async function parseWithdrawalCallback(fields: Record<string, string>, accounts: AccountLookup): Promise<VerifiedCallback> {
  const txId = fields.paymentNo ?? fields.ik_pm_no;
  if (!txId || !/^tx_[0-9A-Z]{26}$/.test(txId))
    throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The withdrawal callback names no payhub payout (paymentNo / ik_pm_no)');
  const account = await accounts.forTransaction(txId);
  if (!account) throw new DomainError(ErrorCode.CALLBACK_SIGNATURE_INVALID, 'No Interkassa account to verify the callback with');
  const s = interkassaSettings(account);
  // Unsigned, it can only make payhub ask Interkassa: the body is never applied either way.
  if (s.withdrawalCallbackSigned !== false) verifySignature(fields, s.secretKey, s);
  return { results: [{ txId, outcome: null }], dedupKey: `wd:${txId}:${fields.id ?? '-'}:${fields.state ?? fields.stateName ?? ''}`, response: OK_ANSWER };
}

/**
 * `ik_x_*` fields come back in the notification as sent (NOTES §1.2). payhub keeps a digest of each it
 * sent (not the values: they carry the customer's contacts) and refuses a notification echoing another value.
 */
export function echoDigests(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params)
      .filter(([k]) => k.startsWith('ik_x_'))
      .map(([k, v]) => [k, echoDigest(v)]),
  );
}

function echoDigest(value: string): string {
  return hash('sha256', value, 'hex').slice(0, 32);
}

function verifyEcho(fields: Record<string, string>, sent: unknown): void {
  if (!sent || typeof sent !== 'object') return;
  for (const [key, digest] of Object.entries(sent as Record<string, string>)) {
    if (fields[key] !== undefined && !safeEqual(echoDigest(fields[key]), digest)) {
      throw new DomainError(ErrorCode.CALLBACK_INVALID, `The notification echoes another ${key} than payhub sent`);
    }
  }
}

export function readFields(req: RawCallback): Record<string, string> {
  if (req.contentType?.includes('application/json') && req.body && typeof req.body === 'object') {
    return Object.fromEntries(Object.entries(req.body as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  }
  return Object.fromEntries(new URLSearchParams(req.rawBody));
}

/** All received fields but ik_sign (the SDK's check), else only the `ik_`-prefixed ones (plugins' check). */
function verifySignature(fields: Record<string, string>, key: string | null, s: InterkassaSettings): void {
  const given = fields.ik_sign;
  if (!given) throw new DomainError(ErrorCode.CALLBACK_SIGNATURE_INVALID, 'The callback carries no ik_sign');
  if (!key) throw new DomainError(ErrorCode.CALLBACK_SIGNATURE_INVALID, 'The account has no key for this payway');
  if (safeEqual(given, interkassaSignature(fields, key, s.signAlgorithm))) return;
  const ikOnly = Object.fromEntries(Object.entries(fields).filter(([k]) => k.startsWith('ik_')));
  if (safeEqual(given, interkassaSignature(ikOnly, key, s.signAlgorithm))) return;
  throw new DomainError(ErrorCode.CALLBACK_SIGNATURE_INVALID, 'The callback signature does not verify');
}
