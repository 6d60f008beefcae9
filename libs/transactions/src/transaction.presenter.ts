import { asJsonInteger } from '@payhub/common';
import type { TransactionEntity } from './transaction.entity';

/** The transaction as the merchant API, webhooks and the back office show it. Amounts are minor units. */
export interface TransactionResponse {
  id: string;
  merchantTxId: string;
  userId: string;
  status: string;
  txType: string;
  service: string | null;
  amount: number;
  currency: string;
  country: string | null;
  provider: string | null;
  refundedAmount: number;
  /** Set when the provider settled another amount than requested; refunds are limited by it. */
  settledAmount: number | null;
  parentId: string | null;
  card: { brand: string | null; bin: string | null; last4: string | null; expiry: string | null } | null;
  nextAction: unknown;
  failure: unknown;
  createdAt: string;
  updatedAt: string;
}

const nullable = (type: string) => ({ type: [type, 'null'] });

/**
 * TransactionResponse as a JSON schema, its properties in the order presentTransaction writes them, for
 * Fastify to serialise a route's answer with a compiled serialiser (fast-json-stringify) instead of
 * JSON.stringify: the same JSON, byte for byte, for every value presentTransaction returns
 * (test/transaction-response-schema.spec.ts). `nextAction` and `failure` have no fixed shape and are
 * written by JSON.stringify inside it.
 */
export const TRANSACTION_RESPONSE_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    merchantTxId: { type: 'string' },
    userId: { type: 'string' },
    status: { type: 'string' },
    txType: { type: 'string' },
    service: nullable('string'),
    amount: { type: 'integer' },
    currency: { type: 'string' },
    country: nullable('string'),
    provider: nullable('string'),
    refundedAmount: { type: 'integer' },
    settledAmount: nullable('integer'),
    parentId: nullable('string'),
    card: {
      type: ['object', 'null'],
      properties: { brand: nullable('string'), bin: nullable('string'), last4: nullable('string'), expiry: nullable('string') } satisfies Record<
        keyof NonNullable<TransactionResponse['card']>,
        object
      >,
    },
    nextAction: {},
    failure: {},
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    // A field added to TransactionResponse and not here would be dropped from the answer: the compiler says so.
  } satisfies Record<keyof TransactionResponse, object>,
};

export function presentTransaction(tx: TransactionEntity): TransactionResponse {
  return {
    id: tx.id,
    merchantTxId: tx.merchantTxId,
    userId: tx.userId,
    status: tx.status,
    txType: tx.txType,
    service: tx.service,
    amount: asJsonInteger(tx.amount),
    currency: tx.currency,
    country: tx.country,
    provider: tx.provider,
    refundedAmount: asJsonInteger(tx.refundedAmount),
    settledAmount: tx.settledAmount === null || tx.settledAmount === undefined ? null : asJsonInteger(tx.settledAmount),
    parentId: tx.parentId,
    card: tx.cardLast4 ? { brand: tx.cardBrand, bin: tx.cardBin, last4: tx.cardLast4, expiry: tx.cardExpiry } : null,
    nextAction: tx.nextAction ?? null,
    failure: tx.failure ?? null,
    createdAt: tx.createdAt.toISOString(),
    updatedAt: tx.updatedAt.toISOString(),
  };
}

/** What staff see of a transaction in searches and lists: the merchant's view plus whose it is. */
export function presentTransactionForStaff(tx: TransactionEntity): TransactionResponse & { merchantId: string } {
  return { ...presentTransaction(tx), merchantId: tx.merchantId };
}
