import { Injectable } from '@nestjs/common';
import { AuditService, presentAuditEntry } from '..';
import { TransactionDetailQuery } from './transaction-detail.query';

export type TimelineKind = 'status_change' | 'provider_exchange' | 'callback' | 'webhook_attempt' | 'conflict' | 'staff_action' | 'note';

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  /** One line for the list: "PROCESSING → SUCCESSFUL", "callback applied", "webhook attempt 2: 500". */
  summary: string;
  /** Who or what caused it: a staff email, `api`, `callback`, `status_check`, `system`. */
  actor: string | null;
  /** The redacted facts behind it: provider request and response, callback body and verification, attempt answer, audit before/after. */
  data: unknown;
}

const STAFF_SOURCE = 'backoffice';

/**
 * One timeline of a transaction, oldest first: its events (status changes, provider exchanges,
 * conflicts), the callbacks received for it, the webhook attempts made about it and the staff actions
 * audited on it. Everything is already redacted by the detail query.
 */
@Injectable()
export class TransactionTimelineQuery {
  constructor(
    private readonly details: TransactionDetailQuery,
    private readonly audit: AuditService,
  ) {}

  async get(txId: string): Promise<{ transactionId: string; entries: TimelineEntry[] }> {
    const detail = await this.details.get(txId);
    const audit = await this.audit.list({ targetId: txId }, 100);
    const entries: TimelineEntry[] = [];
    for (const e of detail.events as Array<Record<string, any>>) {
      const exchange = e.data && typeof e.data === 'object' && 'raw' in e.data;
      const kind: TimelineKind = e.kind === 'conflict' ? 'conflict' : e.from !== e.to && e.to ? 'status_change' : exchange ? 'provider_exchange' : 'note';
      const move = e.to && e.from !== e.to ? `${e.from ?? '—'} → ${e.to}` : e.kind;
      const provider = e.providerCode || e.providerMessage ? ` (${[e.providerCode, e.providerMessage].filter(Boolean).join(': ')})` : '';
      entries.push({
        at: e.at,
        kind,
        summary: `${move}${provider}${e.reason ? ` · ${e.reason}` : ''}`,
        actor: e.source === STAFF_SOURCE ? e.actor : e.source,
        data: e.data ?? null,
      });
    }
    for (const c of detail.callbacks as Array<Record<string, any>>) {
      entries.push({
        at: c.receivedAt,
        kind: 'callback',
        summary: `callback from ${c.provider}: ${c.state}${c.error ? ` (${c.error})` : ''}`,
        actor: 'callback',
        data: { verification: c.state, error: c.error, responseStatus: c.responseStatus, contentType: c.contentType, body: c.body },
      });
    }
    for (const a of (detail.webhookAttempts ?? []) as Array<Record<string, any>>) {
      entries.push({
        at: a.at,
        kind: 'webhook_attempt',
        summary: `webhook attempt ${a.attemptNo}: ${a.outcome}${a.statusCode ? ` ${a.statusCode}` : ''}`,
        actor: 'system',
        data: { deliveryId: a.deliveryId, url: a.url, statusCode: a.statusCode, latencyMs: a.latencyMs, responseExcerpt: a.responseExcerpt, error: a.error },
      });
    }
    for (const row of audit.data.map(presentAuditEntry)) {
      entries.push({
        at: row.at,
        kind: 'staff_action',
        summary: `${row.action}${row.reason ? ` · ${row.reason}` : ''}`,
        actor: row.actor?.email ?? row.actor?.id ?? null,
        data: { before: row.before, after: row.after, requestId: row.requestId },
      });
    }
    entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    return { transactionId: txId, entries };
  }
}
