import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WebhookDeliveriesService } from '@payhub/notifications';
import { presentTransaction, presentTransactionForStaff, TransactionEventEntity, TransactionQueryService, TransactionResponse } from '@payhub/transactions';
import { CallbackInboxEntity } from '@payhub/payments';

export interface TransactionDetail extends TransactionResponse {
  merchantId: string;
  providerAccount: string | null;
  providerTxId: string | null;
  routing: { ruleId: string | null; reason: string | null };
  createdBy: string | null;
  conflict: unknown;
  events: Array<Record<string, unknown>>;
  children: Array<TransactionResponse & { merchantId: string }>;
  callbacks: Array<Record<string, unknown>>;
  /** Every POST of this transaction's merchant webhooks; null where the notifications module is not loaded. */
  webhookAttempts: unknown[] | null;
}

const SECRET_KEY = /(card|cvv|cvc|pan|password|secret|api[-_]?key|private[-_]?key|token|authorization)/i;
const CARD_NUMBER = /\b\d{12,19}\b/g;

/** Defence in depth: adapters store exchanges redacted, and the back office redacts again on the way out. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 12) return '[…]';
  if (typeof value === 'string') return value.replace(CARD_NUMBER, (n) => `${n.slice(0, 6)}…${n.slice(-4)}`);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && (typeof v !== 'object' || v === null) ? '[redacted]' : redact(v, depth + 1),
      ]),
    );
  }
  return value;
}

/** Everything staff need to understand one transaction, read only. */
@Injectable()
export class TransactionDetailQuery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly query: TransactionQueryService,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** NotificationsModule is not global; looked up across modules so payments does not depend on its wiring. */
  private async webhookAttempts(txId: string): Promise<unknown[] | null> {
    let deliveries: WebhookDeliveriesService;
    try {
      deliveries = this.moduleRef.get(WebhookDeliveriesService, { strict: false });
    } catch {
      return null;
    }
    return deliveries.attemptsOfTransaction(txId);
  }

  async get(txId: string): Promise<TransactionDetail> {
    const tx = await this.query.get(txId);
    const [events, children, callbacks, webhookAttempts] = await Promise.all([
      this.query.events(txId),
      this.query.children(txId),
      this.dataSource.getRepository(CallbackInboxEntity).find({ where: { transactionId: txId }, order: { receivedAt: 'ASC' } }),
      this.webhookAttempts(txId),
    ]);
    return {
      ...presentTransaction(tx),
      merchantId: tx.merchantId,
      providerAccount: tx.providerAccount,
      providerTxId: tx.providerTxId,
      routing: { ruleId: tx.routingRuleId, reason: tx.routingReason },
      createdBy: tx.createdBy,
      conflict: tx.conflict,
      events: events.map(presentEvent),
      children: children.map(presentTransactionForStaff),
      callbacks: callbacks.map((c) => ({
        id: c.id,
        provider: c.provider,
        state: c.state,
        error: c.error,
        responseStatus: c.responseStatus,
        contentType: c.contentType,
        headers: c.headers,
        body: redact(c.rawBody),
        receivedAt: c.receivedAt.toISOString(),
        processedAt: c.processedAt?.toISOString() ?? null,
      })),
      webhookAttempts,
    };
  }
}

function presentEvent(e: TransactionEventEntity): Record<string, unknown> {
  return {
    id: `tev_${e.id}`,
    kind: e.kind,
    from: e.fromStatus,
    to: e.toStatus,
    source: e.source,
    actor: e.actor,
    providerCode: e.providerCode,
    providerMessage: e.providerMessage,
    reason: e.reason,
    data: redact(e.data),
    at: e.createdAt.toISOString(),
  };
}
