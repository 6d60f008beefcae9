import { createHash } from 'node:crypto';
import { AccountLookup, RawCallback, VerifiedCallback } from '@payhub/providers-core';
import { DomainError, ErrorCode } from '@payhub/common';
import { asObject, str } from './kasha-answers';

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
}

/**
 * Kasha's notifications carry no documented signature, so nothing in them is believed: they name
 * a payhub transaction (by the per-transaction URL or `merchantReference`) whose status is then
 * asked of Kasha. A repeat of the same body is a duplicate; a new body checks again.
 */
export async function kashaNotification(req: RawCallback, accounts: AccountLookup): Promise<VerifiedCallback> {
  const body = asObject(typeof req.body === 'string' ? safeJson(req.body) : req.body);
  const named = req.params.txId ?? str(body?.merchantReference) ?? str(asObject(body?.result)?.merchantReference);
  if (!named || !/^tx_[0-9A-Z]{26}$/.test(named)) throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The notification names no payhub transaction');
  const account = await accounts.forTransaction(named);
  if (!account) throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The notification names no Kasha transaction of payhub');
  // What the notice says about the payment, not its raw bytes: a body never leaves a digest behind.
  const result = asObject(body?.result) ?? body;
  const said = JSON.stringify([str(result?.status), str(result?.transactionId), str(result?.updatedAt), str(result?.paymentAmount), str(result?.statusCode)]);
  const digest = createHash('sha256').update(said).digest('hex').slice(0, 48);
  return {
    results: [{ txId: named, outcome: null }],
    dedupKey: `kasha:${named}:${digest}`,
    response: { status: 200, body: '{"status":"ok"}', contentType: 'application/json' },
  };
}
