import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newId } from '@payhub/common';
import { TransactionEntity, TransactionStateService, TxStatus, TxType } from '@payhub/transactions';

/** A transaction written straight through the state machine: every status in `path` leaves one outbox event. */
export async function transactionThrough(
  state: TransactionStateService,
  merchantId: string,
  path: TxStatus[],
  options: { notificationUrl?: string | null; provider?: string | null; gapMs?: number } = {},
): Promise<TransactionEntity> {
  const [first, ...rest] = path;
  const tx = await state.create(
    {
      id: newId('tx'),
      merchantId,
      merchantTxId: newId('tx'),
      userId: 'u1',
      txType: TxType.CreditcardDeposit,
      service: null,
      status: first,
      amount: 1000n,
      currency: 'EUR',
      country: 'DE',
      provider: options.provider ?? null,
      providerAccount: options.provider ? 'DEFAULT' : null,
      parentId: null,
      routingRuleId: null,
      routingReason: null,
      cardBrand: null,
      cardBin: null,
      cardLast4: null,
      cardExpiry: null,
      details: null,
      notificationUrl: options.notificationUrl ?? null,
      createdBy: null,
    },
    { source: 'system' },
  );
  for (const status of rest) {
    if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
    await state.transition(tx.id, status, { source: 'system' });
  }
  return tx;
}

/** The Node snippet of docs/webhooks.md, loaded as merchants would copy it. */
export function documentedVerifier(): (rawBody: string, header: string, secret: string) => boolean {
  const markdown = readFileSync(join(__dirname, '..', '..', 'docs', 'webhooks.md'), 'utf8');
  const snippet = /```js\n(\/\/ verify-payhub-signature\.js\n[\s\S]*?)```/.exec(markdown);
  if (!snippet) throw new Error('docs/webhooks.md has no verify-payhub-signature.js snippet');
  const module = { exports: {} as { verifyPayhubSignature?: (rawBody: string, header: string, secret: string) => boolean } };
  new Function('require', 'module', snippet[1])(require, module);
  if (!module.exports.verifyPayhubSignature) throw new Error('the snippet does not export verifyPayhubSignature');
  return module.exports.verifyPayhubSignature;
}
