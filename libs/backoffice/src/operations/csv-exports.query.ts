import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AuditService, presentAuditEntry } from '..';
import { TransactionEntity, TransactionFilter, TransactionQueryService } from '@payhub/transactions';
import { csvStream } from './csv';

/** Rows read per query while streaming: one page in memory at a time. */
const CSV_PAGE = 500;

export const TRANSACTION_CSV_COLUMNS = [
  'id',
  'merchantId',
  'merchantTxId',
  'userId',
  'txType',
  'service',
  'status',
  'amount',
  'currency',
  'refundedAmount',
  'settledAmount',
  'provider',
  'providerTxId',
  'country',
  'parentId',
  'failure',
  'createdAt',
  'updatedAt',
] as const;

export const AUDIT_CSV_COLUMNS = ['id', 'at', 'actorId', 'actorEmail', 'action', 'targetType', 'targetId', 'reason', 'before', 'after', 'requestId'] as const;

export type AuditFilter = Parameters<AuditService['list']>[0];

/** The whole filtered result of the transaction search and of the audit log, as CSV streamed page by page. */
@Injectable()
export class CsvExportsQuery {
  constructor(
    private readonly transactions: TransactionQueryService,
    private readonly audit: AuditService,
  ) {}

  transactionsCsv(filter: TransactionFilter): Readable {
    return csvStream([...TRANSACTION_CSV_COLUMNS], transactionRow, (cursor) => this.transactions.list(filter, CSV_PAGE, cursor));
  }

  auditCsv(filter: AuditFilter): Readable {
    return csvStream([...AUDIT_CSV_COLUMNS], auditRow, async (cursor) => {
      const page = await this.audit.list(filter, CSV_PAGE, cursor);
      return { data: page.data.map(presentAuditEntry), nextCursor: page.nextCursor };
    });
  }
}

/** Straight from the stored row: amounts as exact integer text (CSV has no safe-integer limit, JSON has). */
function transactionRow(t: TransactionEntity): unknown[] {
  return [
    t.id,
    t.merchantId,
    t.merchantTxId,
    t.userId,
    t.txType,
    t.service,
    t.status,
    t.amount.toString(),
    t.currency,
    t.refundedAmount.toString(),
    t.settledAmount?.toString() ?? null,
    t.provider,
    t.providerTxId,
    t.country,
    t.parentId,
    t.failure,
    t.createdAt.toISOString(),
    t.updatedAt.toISOString(),
  ];
}

function auditRow(a: ReturnType<typeof presentAuditEntry>): unknown[] {
  return [a.id, a.at, a.actor?.id, a.actor?.email, a.action, a.target.type, a.target.id, a.reason, a.before, a.after, a.requestId];
}
