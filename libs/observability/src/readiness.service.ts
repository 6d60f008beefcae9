import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, QUEUES } from '@payhub/common';
import { HEARTBEAT_STALE_MS, readHeartbeats } from './worker-heartbeat';

const CHECK_TIMEOUT_MS = 2000;
/** The relay publishes the outbox every few seconds; a row unpublished this long means webhooks are stuck. */
export const OUTBOX_LAG_LIMIT_S = 60;
/** Status checks are due on a backoff schedule; one overdue this long means status sync is not running. */
export const STATUS_SYNC_OVERDUE_LIMIT_S = 600;

export type CheckStatus = 'up' | 'down';
export interface Check {
  status: CheckStatus;
  latencyMs?: number;
  error?: string;
  [fact: string]: unknown;
}
export type ReadinessPart = 'mysql' | 'redis' | 'migrations' | 'worker' | 'outbox' | 'statusSync';
export interface Readiness {
  status: 'ok' | 'error';
  /** The parts that are down, so a probe's log line says what is wrong. */
  failing: ReadinessPart[];
  checks: Record<ReadinessPart, Check>;
}

/**
 * Whether payhub can take payments and see them through: MySQL and Redis answer, the schema is at the
 * code's migrations, a worker is alive, and the outbox and status sync are not falling behind. Each
 * part is probed with a timeout, so an unanswering dependency makes a 503 rather than a hung probe.
 */
@Injectable()
export class ReadinessService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(): Promise<Readiness> {
    const [mysql, redis, migrations, worker, outbox, statusSync] = await Promise.all([
      probe(() => this.mysql()),
      probe(() => this.redis()),
      probe(() => this.migrations()),
      probe(() => this.worker()),
      probe(() => this.outbox()),
      probe(() => this.statusSync()),
    ]);
    const checks = { mysql, redis, migrations, worker, outbox, statusSync };
    const failing = (Object.keys(checks) as ReadinessPart[]).filter((part) => checks[part].status === 'down');
    return { status: failing.length ? 'error' : 'ok', failing, checks };
  }

  /** MySQL and Redis only: the turn-1 `/health`. */
  async reachability(): Promise<{ ok: boolean; checks: { mysql: Check; redis: Check } }> {
    const [mysql, redis] = await Promise.all([probe(() => this.mysql()), probe(() => this.redis())]);
    return { ok: mysql.status === 'up' && redis.status === 'up', checks: { mysql, redis } };
  }

  private async mysql(): Promise<Partial<Check>> {
    await this.db.query('SELECT 1');
    return {};
  }

  private async redis(): Promise<Partial<Check>> {
    await this.queue.client.ping();
    return {};
  }

  private async migrations(): Promise<Partial<Check>> {
    const applied = new Set(((await this.db.query('SELECT name FROM migrations')) as Array<{ name: string }>).map((row) => row.name));
    const pending = this.db.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
    return pending.length ? { status: 'down', error: `${pending.length} migration(s) not applied`, pending } : { applied: applied.size };
  }

  private async worker(): Promise<Partial<Check>> {
    const { newestAgeMs, alive } = await readHeartbeats(this.queue, this.config);
    const lastHeartbeatAgeSeconds = newestAgeMs === null ? null : Math.round(newestAgeMs / 100) / 10;
    if (alive === 0)
      return {
        status: 'down',
        error: newestAgeMs === null ? 'no worker heartbeat' : `no worker heartbeat for ${lastHeartbeatAgeSeconds} s`,
        alive,
        lastHeartbeatAgeSeconds,
      };
    return { alive, lastHeartbeatAgeSeconds, staleAfterSeconds: HEARTBEAT_STALE_MS / 1000 };
  }

  /** Age of the oldest unpublished outbox row: one row read off ix_outbox_unpublished. */
  private async outbox(): Promise<Partial<Check>> {
    const [row] = (await this.db.query('SELECT created_at AS createdAt FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 1')) as Array<{
      createdAt: Date;
    }>;
    const lagSeconds = row ? Math.max(0, Math.round((Date.now() - new Date(row.createdAt).getTime()) / 1000)) : 0;
    return lagSeconds > OUTBOX_LAG_LIMIT_S
      ? { status: 'down', error: `oldest unpublished outbox event is ${lagSeconds} s old`, lagSeconds, limitSeconds: OUTBOX_LAG_LIMIT_S }
      : { lagSeconds, limitSeconds: OUTBOX_LAG_LIMIT_S };
  }

  /** How far the most overdue status check is behind its schedule: one row read off ix_status_checks_due. */
  private async statusSync(): Promise<Partial<Check>> {
    const [row] = (await this.db.query('SELECT next_check_at AS nextCheckAt FROM status_checks ORDER BY next_check_at LIMIT 1')) as Array<{
      nextCheckAt: Date;
    }>;
    const overdueSeconds = row ? Math.max(0, Math.round((Date.now() - new Date(row.nextCheckAt).getTime()) / 1000)) : 0;
    return overdueSeconds > STATUS_SYNC_OVERDUE_LIMIT_S
      ? { status: 'down', error: `a status check is ${overdueSeconds} s overdue`, overdueSeconds, limitSeconds: STATUS_SYNC_OVERDUE_LIMIT_S }
      : { overdueSeconds, limitSeconds: STATUS_SYNC_OVERDUE_LIMIT_S };
  }
}

async function probe(check: () => Promise<Partial<Check>>): Promise<Check> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const facts = await Promise.race([
      check(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref()),
    ]);
    return { status: 'up', latencyMs: latency(), ...facts } as Check;
  } catch (error) {
    return { status: 'down', latencyMs: latency(), error: (error as Error).message };
  }
}
