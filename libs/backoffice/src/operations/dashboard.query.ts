import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FINAL_STATUSES, OPEN_CONFLICT_SQL, TxStatus, UNFINISHED_STATUSES } from '@payhub/transactions';

/**
 * Amounts per currency: volumes of different currencies are never added together. `amount` is the sum
 * in minor units as exact integer text: a day's volume can pass 2^53, where a JS number rounds.
 */
export interface VolumeRow {
  provider: string | null;
  status: string;
  currency: string;
  count: number;
  amount: string;
}
export interface SuccessRateRow {
  provider: string | null;
  txType: string;
  successful: number;
  finished: number;
  rate: number | null;
}

export interface Dashboard {
  since: string;
  volume: VolumeRow[];
  successRates: SuccessRateRow[];
  inconsistent: number;
  conflicts: number;
  oldestUnfinished: { id: string; status: string; createdAt: string; ageSeconds: number } | null;
  failedWebhooks: number;
  waitingApproval: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** The operations dashboard: the last 24 h by provider, and the queues that need a person now. */
@Injectable()
export class DashboardQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(now = new Date()): Promise<Dashboard> {
    const since = new Date(now.getTime() - DAY_MS);
    const db = this.dataSource;
    const [volume, rates, counts, oldest, webhooks] = await Promise.all([
      db.query(
        'SELECT provider, status, currency, COUNT(*) AS n, SUM(amount) AS amount FROM transactions WHERE created_at >= ? GROUP BY provider, status, currency ORDER BY provider, status, currency',
        [since],
      ),
      db.query(
        `SELECT provider, tx_type, SUM(status = ?) AS successful, SUM(status IN (?)) AS finished FROM transactions
         WHERE created_at >= ? GROUP BY provider, tx_type ORDER BY provider, tx_type`,
        [TxStatus.SUCCESSFUL, FINAL_STATUSES, since],
      ),
      db.query(
        `SELECT SUM(t.status = ?) AS inconsistent, SUM(${OPEN_CONFLICT_SQL}) AS conflicts, SUM(t.status = ?) AS waiting FROM transactions t WHERE t.status IN (?) OR t.conflict IS NOT NULL`,
        [TxStatus.INCONSISTENT, TxStatus.WAITING_APPROVAL, [TxStatus.INCONSISTENT, TxStatus.WAITING_APPROVAL]],
      ),
      db.query('SELECT id, status, created_at FROM transactions WHERE status IN (?) ORDER BY created_at ASC, id ASC LIMIT 1', [
        [...UNFINISHED_STATUSES, TxStatus.REGISTERED],
      ]),
      db.query("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'failed'"),
    ]);
    const oldestRow = oldest[0] as { id: string; status: string; created_at: Date } | undefined;
    return {
      since: since.toISOString(),
      volume: volume.map((r: Record<string, unknown>) => ({
        provider: r.provider as string | null,
        status: r.status as string,
        currency: r.currency as string,
        count: Number(r.n),
        amount: BigInt(String(r.amount ?? 0)).toString(),
      })),
      successRates: rates.map((r: Record<string, unknown>) => {
        const successful = Number(r.successful ?? 0);
        const finished = Number(r.finished ?? 0);
        return { provider: r.provider as string | null, txType: r.tx_type as string, successful, finished, rate: finished ? successful / finished : null };
      }),
      inconsistent: Number(counts[0]?.inconsistent ?? 0),
      conflicts: Number(counts[0]?.conflicts ?? 0),
      oldestUnfinished: oldestRow
        ? {
            id: oldestRow.id,
            status: oldestRow.status,
            createdAt: oldestRow.created_at.toISOString(),
            ageSeconds: Math.max(0, Math.floor((now.getTime() - oldestRow.created_at.getTime()) / 1000)),
          }
        : null,
      failedWebhooks: Number(webhooks[0]?.n ?? 0),
      waitingApproval: Number(counts[0]?.waiting ?? 0),
    };
  }
}
