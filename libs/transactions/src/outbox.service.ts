import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { updateRows } from '@payhub/database';
import { OutboxEntity } from './outbox.entity';

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

  /** Status sync's unread rows: only what it needs to know which transactions changed, and when (plain SQL: thousands a batch). */
  async unsynced(limit: number): Promise<Array<Pick<OutboxEntity, 'id' | 'transactionId' | 'createdAt'>>> {
    const rows: Array<{ id: string | number; transactionId: string; createdAt: Date }> = await this.dataSource.query(
      'SELECT id, transaction_id AS transactionId, created_at AS createdAt FROM outbox WHERE status_synced_at IS NULL ORDER BY id LIMIT ?',
      [limit],
    );
    return rows.map((r) => ({ id: String(r.id), transactionId: r.transactionId, createdAt: new Date(r.createdAt) }));
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
