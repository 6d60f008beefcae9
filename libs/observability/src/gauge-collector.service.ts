import { getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobCounts, Queue } from 'bull';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { ALL_QUEUES, APP_CONFIG, AppConfig, MetricsService, QUEUES, randomToken } from '@payhub/common';
import { FINAL_STATUSES, TxStatus } from '@payhub/transactions';
import { observabilityKeys } from './redis-keys';
import { readHeartbeats } from './worker-heartbeat';

export const GAUGE_INTERVAL_MS = 15000;
/** Three missed renewals and another process takes over. */
export const GAUGE_LEASE_MS = 3 * GAUGE_INTERVAL_MS;
export const JOB_STATES: Array<keyof JobCounts> = ['waiting', 'active', 'delayed', 'failed', 'completed'];
const OPEN_STATUSES = Object.values(TxStatus).filter((s) => !FINAL_STATUSES.includes(s));

/** Take the lease when free, renew it when ours, answer 1 when held by this process. */
const HOLD_LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
const RELEASE_LEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Computes the gauges that come from the database and the queues, in one process at a time: every
 * process (api and worker instances alike) tries for a Redis lease each interval, and only its holder
 * runs the counting queries and exports the values; the others export none. A scrape never queries.
 * The lease expires on its own when its holder dies, so the gauges move to a live process.
 */
@Injectable()
export class GaugeCollector implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(GaugeCollector.name);
  readonly instance = `${hostname()}:${process.pid}:${randomToken(3)}`;
  private readonly leaseKey: string;
  private readonly config: AppConfig;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly moduleRef: ModuleRef,
  ) {
    this.leaseKey = observabilityKeys(config).gaugeLease;
    this.config = config;
  }

  onApplicationBootstrap(): void {
    if (!this.metrics.enabled) return;
    this.timer = setInterval(() => void this.tick(), GAUGE_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    await this.redis()
      .eval(RELEASE_LEASE, 1, this.leaseKey, this.instance)
      .catch(() => undefined);
  }

  /** One interval's work; answers whether this process held the lease (and so set the gauges). */
  async tick(): Promise<boolean> {
    try {
      if (Number(await this.redis().eval(HOLD_LEASE, 1, this.leaseKey, this.instance, GAUGE_LEASE_MS)) === 1) {
        await this.collect();
        return true;
      }
      this.clear();
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'gauges not collected');
    }
    return false;
  }

  /** The counting itself: each query reads an index range, never a table scan. */
  async collect(): Promise<void> {
    const now = new Date();
    const [pending, due, inconsistent, oldest, queues, heartbeats] = await Promise.all([
      this.count("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'"),
      this.count('SELECT COUNT(*) AS n FROM status_checks WHERE next_check_at <= ?', [now]),
      this.count("SELECT COUNT(*) AS n FROM transactions WHERE status = 'INCONSISTENT'"),
      Promise.all(
        OPEN_STATUSES.map(async (status) => {
          const [row] = (await this.db.query('SELECT MIN(updated_at) AS oldest FROM transactions WHERE status = ?', [status])) as Array<{
            oldest: Date | null;
          }>;
          return [status, row?.oldest ? Math.max(0, (now.getTime() - new Date(row.oldest).getTime()) / 1000) : 0] as const;
        }),
      ),
      Promise.all(ALL_QUEUES.map(async (name) => [name, await this.queue(name).getJobCounts()] as const)),
      readHeartbeats(this.queue(QUEUES.maintenance), this.config, now.getTime()),
    ]);
    const { gauges } = this.metrics;
    this.metrics.exportGauges(true);
    gauges.webhookPending.set(pending);
    gauges.statusSyncDue.set(due);
    gauges.inconsistent.set(inconsistent);
    for (const [status, age] of oldest) gauges.oldestUnfinished.set({ status }, Math.round(age));
    gauges.workersAlive.set(heartbeats.alive);
    // No stamp at all (no worker for minutes, or never): infinitely old, so `> limit` alerts hold.
    gauges.workerHeartbeatAge.set(heartbeats.newestAgeMs === null ? Infinity : heartbeats.newestAgeMs / 1000);
    for (const [queue, counts] of queues) {
      for (const state of JOB_STATES) gauges.queueJobs.set({ queue, state }, counts[state] ?? 0);
    }
  }

  /** Not the holder: export nothing, so no stale copy sits beside the holder's values. */
  private clear(): void {
    this.metrics.exportGauges(false);
  }

  private async count(sql: string, params: unknown[] = []): Promise<number> {
    const [row] = (await this.db.query(sql, params)) as Array<{ n: string | number }>;
    return Number(row?.n ?? 0);
  }

  private queue(name: string): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  private redis() {
    return this.queue(QUEUES.maintenance).client;
  }
}
