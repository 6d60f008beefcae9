import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { updateRows } from '@payhub/database';
import { TxStatus } from '@payhub/domain';
import { OutboxEntity } from './outbox.entity';
import { TransactionEntity } from './transaction.entity';

/** An outbox row status sync has not read yet, with its transaction as it stands now. */
export interface UnsyncedChange extends Pick<OutboxEntity, 'id' | 'transactionId' | 'createdAt'> {
  transaction: Pick<TransactionEntity, 'merchantId' | 'status' | 'provider' | 'providerAccount' | 'createdAt'> | null;
}

/**
 * The outbox's two readers, each with its own position: the webhook relay (published_at) and status
 * sync (status_synced_at). Each reads its unread rows in id order and marks them once handled.
 */
@Injectable()
export class OutboxService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async unpublished(limit: number): Promise<OutboxEntity[]> {
    return this.dataSource.getRepository(OutboxEntity).createQueryBuilder('o').where('o.published_at IS NULL').orderBy('o.id', 'ASC').limit(limit).getMany();
  }

  /**
   * Status sync's unread rows: which transactions changed, when, and where each stands now (its row read in the
   * same statement, on the primary key; null when this database has none). Plain SQL: thousands a batch.
   */
  async unsynced(limit: number): Promise<UnsyncedChange[]> {
    const rows: Array<{
      id: string | number;
      transactionId: string;
      createdAt: Date;
      txId: string | null;
      merchantId: string;
      status: TxStatus;
      provider: string | null;
      account: string | null;
      txCreatedAt: Date;
    }> = await this.dataSource.query(
      `SELECT o.id, o.transaction_id AS transactionId, o.created_at AS createdAt,
              t.id AS txId, t.merchant_id AS merchantId, t.status, t.provider, t.provider_account AS account, t.created_at AS txCreatedAt
         FROM (SELECT id, transaction_id, created_at FROM outbox WHERE status_synced_at IS NULL ORDER BY id LIMIT ?) o
         LEFT JOIN transactions t ON t.id = o.transaction_id
        ORDER BY o.id`,
      [limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      transactionId: r.transactionId,
      createdAt: new Date(r.createdAt),
      transaction: r.txId
        ? { merchantId: r.merchantId, status: r.status, provider: r.provider, providerAccount: r.account, createdAt: new Date(r.txCreatedAt) }
        : null,
    }));
  }

  async markSynced(ids: string[], at = new Date()): Promise<number> {
    if (!ids.length) return 0;
    const result: { affectedRows?: number } = await this.dataSource.query(
      'UPDATE outbox SET status_synced_at = ? WHERE id IN (?) AND status_synced_at IS NULL',
      [at, ids],
    );
    return result.affectedRows ?? 0;
  }

  async markPublished(ids: string[], at = new Date()): Promise<number> {
    if (!ids.length) return 0;
    return updateRows(this.dataSource, OutboxEntity, { publishedAt: at }, 'id IN (:...ids) AND published_at IS NULL', { ids });
  }
}
