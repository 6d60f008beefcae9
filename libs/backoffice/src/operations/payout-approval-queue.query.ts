import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { StaffPrincipal } from '..';
import { hasRole } from '..';
import { Page, presentTransaction, TransactionEntity, TransactionResponse, TxStatus, WITHDRAWAL_TX_TYPES } from '@payhub/transactions';

export interface QueuedPayout extends TransactionResponse {
  merchantId: string;
  createdBy: string | null;
  /** False when the reader may not release it: not an approver, or its creator / the minter of the key that created it. */
  approvable: boolean;
  notApprovableReason: 'not_an_approver' | 'own_payout' | null;
}

/** Withdrawals waiting for approval, oldest first (the order they should be worked), with the reader's four-eyes verdict. */
@Injectable()
export class PayoutApprovalQueueQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(reader: StaffPrincipal, filter: { merchantId?: string }, limit: number, startingAfter?: string): Promise<Page<QueuedPayout>> {
    const qb = this.dataSource
      .getRepository(TransactionEntity)
      .createQueryBuilder('t')
      .where('t.status = :status AND t.tx_type IN (:...types)', { status: TxStatus.WAITING_APPROVAL, types: WITHDRAWAL_TX_TYPES });
    if (filter.merchantId) qb.andWhere('t.merchant_id = :merchantId', { merchantId: filter.merchantId });
    if (startingAfter) qb.andWhere('t.id > :startingAfter', { startingAfter });
    const rows = await qb
      .orderBy('t.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    const hasMore = rows.length > limit;
    const page = hasMore ? rows.slice(0, limit) : rows;
    const minters = await this.keyMinters(page.map((t) => t.id));
    const approver = hasRole(reader.roles, 'approver');
    const data = page.map((t) => {
      const own = t.createdBy === reader.id || minters.get(t.id) === reader.id;
      const notApprovableReason = !approver ? ('not_an_approver' as const) : own ? ('own_payout' as const) : null;
      return { ...presentTransaction(t), merchantId: t.merchantId, createdBy: t.createdBy, approvable: notApprovableReason === null, notApprovableReason };
    });
    return { data, hasMore, nextCursor: hasMore ? page[page.length - 1].id : null };
  }

  /** The staff member who minted the API key that created each payout (its first `api` event names the key). */
  private async keyMinters(txIds: string[]): Promise<Map<string, string>> {
    if (!txIds.length) return new Map();
    const rows: Array<{ transaction_id: string; created_by: string | null }> = await this.dataSource.query(
      `SELECT e.transaction_id, k.created_by FROM transaction_events e JOIN api_keys k ON k.id = e.actor
       WHERE e.transaction_id IN (?) AND e.source = 'api'`,
      [txIds],
    );
    return new Map(rows.filter((r) => r.created_by).map((r) => [r.transaction_id, r.created_by!]));
  }
}
