import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In } from 'typeorm';
import { ReadReplicas } from '@payhub/database';
import { TransactionEventEntity } from './transaction-event.entity';
import { TransactionEntity } from './transaction.entity';
import { TransactionNotFoundError } from './transaction.errors';
import { RETURN_TX_TYPES, TxStatus } from '@payhub/domain';

export interface TransactionFilter {
  /** One value matched against the payhub id, merchantTxId, provider id and userId (the console's search box). */
  q?: string;
  id?: string;
  merchantId?: string;
  providerTxId?: string;
  currency?: string;
  merchantTxId?: string;
  status?: TxStatus;
  txType?: string;
  provider?: string;
  userId?: string;
  createdFrom?: Date;
  createdTo?: Date;
  amountMin?: bigint;
  amountMax?: bigint;
  /** Only transactions whose conflict with the provider is still open. */
  openConflict?: boolean;
}

/** SQL for "has a conflict nobody resolved yet" (the conflict JSON's `resolved` is not true). */
export const OPEN_CONFLICT_SQL = "(t.conflict IS NOT NULL AND COALESCE(JSON_VALUE(t.conflict, '$.resolved'), 'false') <> 'true')";

export interface Page<T> {
  data: T[];
  hasMore: boolean;
  nextCursor: string | null;
}

/**
 * Reads only. Lists are newest first; the cursor is the last id of the page (ids sort by time).
 * `from: 'replica'` (back-office searches) reads a read replica when one is configured: it may lag.
 */
@Injectable()
export class TransactionQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly replicas: ReadReplicas,
  ) {}

  async get(txId: string, merchantId?: string): Promise<TransactionEntity> {
    const tx = await this.dataSource.getRepository(TransactionEntity).findOneBy(merchantId ? { id: txId, merchantId } : { id: txId });
    if (!tx) throw new TransactionNotFoundError(txId);
    return tx;
  }

  /** The transaction, or null when this database has none with that id. */
  async find(txId: string): Promise<TransactionEntity | null> {
    return this.dataSource.getRepository(TransactionEntity).findOneBy({ id: txId });
  }

  /** Several transactions by id in one query (those this database has; no order). */
  async findMany(txIds: string[]): Promise<TransactionEntity[]> {
    if (!txIds.length) return [];
    return this.dataSource.getRepository(TransactionEntity).findBy({ id: In(txIds) });
  }

  async findByMerchantTxId(merchantId: string, merchantTxId: string): Promise<TransactionEntity | null> {
    return this.dataSource.getRepository(TransactionEntity).findOneBy({ merchantId, merchantTxId });
  }

  async list(filter: TransactionFilter, limit: number, startingAfter?: string, from: 'primary' | 'replica' = 'primary'): Promise<Page<TransactionEntity>> {
    const source = from === 'replica' ? await this.replicas.dataSource() : this.dataSource;
    const qb = source.getRepository(TransactionEntity).createQueryBuilder('t');
    const conditions: Array<[string, Record<string, unknown>]> = [];
    if (filter.q) conditions.push(['(t.id = :q OR t.merchant_tx_id = :q OR t.provider_tx_id = :q OR t.user_id = :q)', { q: filter.q }]);
    if (filter.id) conditions.push(['t.id = :id', { id: filter.id }]);
    if (filter.merchantId) conditions.push(['t.merchant_id = :merchantId', { merchantId: filter.merchantId }]);
    if (filter.providerTxId) conditions.push(['t.provider_tx_id = :providerTxId', { providerTxId: filter.providerTxId }]);
    if (filter.currency) conditions.push(['t.currency = :currency', { currency: filter.currency }]);
    if (filter.merchantTxId) conditions.push(['t.merchant_tx_id = :merchantTxId', { merchantTxId: filter.merchantTxId }]);
    if (filter.status) conditions.push(['t.status = :status', { status: filter.status }]);
    if (filter.txType) conditions.push(['t.tx_type = :txType', { txType: filter.txType }]);
    if (filter.provider) conditions.push(['t.provider = :provider', { provider: filter.provider }]);
    if (filter.userId) conditions.push(['t.user_id = :userId', { userId: filter.userId }]);
    if (filter.createdFrom) conditions.push(['t.created_at >= :createdFrom', { createdFrom: filter.createdFrom }]);
    if (filter.createdTo) conditions.push(['t.created_at < :createdTo', { createdTo: filter.createdTo }]);
    if (filter.amountMin !== undefined) conditions.push(['t.amount >= :amountMin', { amountMin: filter.amountMin.toString() }]);
    if (filter.amountMax !== undefined) conditions.push(['t.amount <= :amountMax', { amountMax: filter.amountMax.toString() }]);
    if (filter.openConflict) conditions.push([OPEN_CONFLICT_SQL, {}]);
    if (startingAfter) conditions.push(['t.id < :startingAfter', { startingAfter }]);
    qb.where(
      new Brackets((w) => {
        w.where('1 = 1');
        for (const [sql, params] of conditions) w.andWhere(sql, params);
      }),
    );
    const rows = await qb
      .orderBy('t.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const hasMore = rows.length > limit;
    const data = hasMore ? rows.slice(0, limit) : rows;
    return { data, hasMore, nextCursor: hasMore ? data[data.length - 1].id : null };
  }

  /**
   * Refunds and reversals of a deposit that are successful or may still succeed (everything but FAILED
   * and CANCELLED). Read under the parent's row lock (pass its manager) to check a new one against it.
   */
  async committedReturns(parentId: string, manager: EntityManager = this.dataSource.manager): Promise<bigint> {
    const row = await manager
      .createQueryBuilder(TransactionEntity, 't')
      .select('COALESCE(SUM(t.amount), 0)', 'total')
      .where('t.parent_id = :parentId AND t.tx_type IN (:...types) AND t.status NOT IN (:...closed)', {
        parentId,
        types: RETURN_TX_TYPES,
        closed: [TxStatus.FAILED, TxStatus.CANCELLED],
      })
      .getRawOne<{ total: string | number }>();
    return BigInt(row?.total ?? 0);
  }

  /** The notificationUrl of each transaction that has one (webhook delivery reads many at once). */
  async notificationUrls(txIds: string[]): Promise<Map<string, string>> {
    if (!txIds.length) return new Map();
    const rows = await this.dataSource
      .getRepository(TransactionEntity)
      .createQueryBuilder('t')
      .select(['t.id AS id', 't.notification_url AS url'])
      .where('t.id IN (:...txIds) AND t.notification_url IS NOT NULL', { txIds })
      .getRawMany<{ id: string; url: string }>();
    return new Map(rows.map((r) => [r.id, r.url]));
  }

  async children(parentId: string): Promise<TransactionEntity[]> {
    return this.dataSource.getRepository(TransactionEntity).find({ where: { parentId }, order: { id: 'ASC' } });
  }

  async events(txId: string): Promise<TransactionEventEntity[]> {
    return this.dataSource.getRepository(TransactionEventEntity).find({ where: { transactionId: txId }, order: { id: 'ASC' } });
  }
}
