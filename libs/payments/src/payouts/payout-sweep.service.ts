import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TransactionEntity, TxStatus, WITHDRAWAL_TX_TYPES } from '@payhub/transactions';
import { PayoutQueue } from './payout-queue';

/** Approved withdrawals older than this with no outcome yet are handed to the queue again. */
export const PAYOUT_SWEEP_AFTER_MS = 2 * 60 * 1000;
const SWEEP_BATCH = 500;

/**
 * Approval commits REGISTERED and then enqueues; if Redis failed in between, the payout would wait for
 * ever. The sweep enqueues such withdrawals again. That is always safe: the job id is the transaction id,
 * and the submission guard (REGISTERED and no submission started) never sends a payout twice.
 */
@Injectable()
export class PayoutSweepService {
  private readonly logger = new Logger(PayoutSweepService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: PayoutQueue,
  ) {}

  async sweep(olderThanMs = PAYOUT_SWEEP_AFTER_MS, now = new Date()): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(TransactionEntity)
      .createQueryBuilder('t')
      .select('t.id', 'id')
      .where('t.status = :status', { status: TxStatus.REGISTERED })
      .andWhere('t.tx_type IN (:...types)', { types: WITHDRAWAL_TX_TYPES })
      .andWhere('t.updated_at < :before', { before: new Date(now.getTime() - olderThanMs) })
      .orderBy('t.updated_at', 'ASC')
      .limit(SWEEP_BATCH)
      .getRawMany<{ id: string }>();
    for (const { id } of rows) await this.queue.enqueue(id);
    if (rows.length) this.logger.warn({ count: rows.length }, 'approved payouts without an outcome enqueued again');
    return rows.map((r) => r.id);
  }
}
