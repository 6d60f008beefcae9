import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@payhub/common';
import { AccountLookup, RawCallback, revealed, VerifiedCallback } from '@payhub/providers-core';
import { verifyPostbackSignature } from './paykassma-signature';
import { PhpAssoc, PhpValue, parsePhpJson, phpJsonEncode } from './php-json';
import { depositOutcome, plain, withdrawalOutcome } from './paykassma-postbacks';
import { PAYKASSMA, settingsOf } from './paykassma-settings';

const OK_ANSWER = { status: 200, body: '{"status":"ok"}', contentType: 'application/json' };
/** The provider's logger context, as before the flows were cut out of PaykassmaProvider. */
const logger = new Logger('PaykassmaProvider');

export async function paykassmaPostback(req: RawCallback, accounts: AccountLookup): Promise<VerifiedCallback> {
  let body: PhpValue;
  try {
    body = parsePhpJson(req.rawBody);
  } catch {
    throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The postback is not JSON');
  }
  if (!(body instanceof PhpAssoc)) throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The postback is not a JSON object');
  const signature = body.get('signature');
  const accessKey = body.get('access_key');
  // Current postbacks carry `additional_data`, signed over json_encode with JSON_UNESCAPED_SLASHES |
  // JSON_UNESCAPED_UNICODE; older ones `transactions`, signed over Laravel's toJson(): no flags (NOTES §2.1).
  const legacy = body.get('additional_data') === undefined && body.get('transactions') !== undefined;
  const list = legacy ? body.get('transactions') : body.get('additional_data');
  if (typeof signature !== 'string' || typeof accessKey !== 'string' || !(Array.isArray(list) || list instanceof PhpAssoc)) {
    throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The postback needs signature, access_key and additional_data');
  }
  const signers = (await accounts.candidates()).filter(
    (a) =>
      revealed(a.settings.postbackAccessKey) === accessKey &&
      verifyPostbackSignature(accessKey, revealed(a.settings.postbackPrivateKey) ?? '', list, signature, legacy ? 'escaped' : 'unescaped'),
  );
  if (signers.length === 0) throw new DomainError(ErrorCode.CALLBACK_SIGNATURE_INVALID, 'The postback signature does not verify');

  const direction = plain(body.get('direction'));
  const items = (Array.isArray(list) ? list : list.entries.map(([, v]) => v)).filter((i): i is PhpAssoc => i instanceof PhpAssoc);
  const results: VerifiedCallback['results'] = [];
  const identity: string[] = [];
  const unmatched: unknown[] = [];
  for (const item of items) {
    const withdrawalId = plain(item.get('withdrawal_id'));
    const isWithdrawal = direction === 'outgoing' || (direction !== 'ingoing' && !!withdrawalId);
    const txId = isWithdrawal ? withdrawalId : plain(item.get('plugin_custom_order_id')) || plain(item.get('custom_id'));
    identity.push(
      isWithdrawal
        ? `w:${withdrawalId}:${plain(item.get('withdrawal_status'))}`
        : `d:${plain(item.get('stockpiling_id'))}:${plain(item.get('transaction_id'))}:${txId}`,
    );
    // Only the keys of the account that owns the transaction may settle it.
    const owner = txId ? await accounts.forTransaction(txId) : null;
    const signedByOwner =
      owner &&
      signers.some(
        (a) =>
          a.merchantId === owner.merchantId &&
          revealed(a.settings.postbackPrivateKey) === revealed(owner.settings.postbackPrivateKey) &&
          revealed(a.settings.postbackAccessKey) === revealed(owner.settings.postbackAccessKey),
      );
    if (!txId || !signedByOwner) {
      unmatched.push(JSON.parse(phpJsonEncode(item, { unescapedSlashes: true, unescapedUnicode: true })));
      continue;
    }
    const outcome = isWithdrawal
      ? withdrawalOutcome(item)
      : depositOutcome(item, plain(body.get('currency_code')), settingsOf(owner).acceptCreditedAmount === true);
    results.push({ txId, outcome: { ...outcome, raw: { postback: JSON.parse(req.rawBody) } } });
  }
  if (unmatched.length) {
    // Kept in the callback inbox as received; logged so staff can credit what no payhub id names.
    logger.warn({ provider: PAYKASSMA, unmatched }, 'postback items name no payhub transaction of the signing account');
  }
  const dedupKey = `pk:${createHash('sha1').update(identity.sort().join('|')).digest('hex')}`;
  return { results, dedupKey, response: OK_ANSWER };
}
