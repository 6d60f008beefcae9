import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import { hostname } from 'node:os';
import { APP_CONFIG, AppConfig, QUEUES, randomToken } from '@payhub/common';
import { observabilityKeys } from './redis-keys';

export const HEARTBEAT_INTERVAL_MS = 2000;
/** A worker whose last heartbeat is older than this is taken for dead (five missed beats). */
export const HEARTBEAT_STALE_MS = 10000;

/**
 * The worker's sign of life: every couple of seconds it stamps its instance in a sorted set in
 * Redis. A worker that is killed, hangs its event loop or loses Redis stops stamping, and the api's
 * readiness sees the newest stamp age. A clean shutdown takes the stamp away at once.
 */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHeartbeat.name);
  readonly instance = `${hostname()}:${process.pid}:${randomToken(3)}`;
  private readonly key: string;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
  ) {
    this.key = observabilityKeys(config).workerHeartbeats;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.queue.client.zrem(this.key, this.instance).catch(() => undefined);
  }

  async beat(): Promise<void> {
    const now = Date.now();
    try {
      await this.queue.client
        .multi()
        .zadd(this.key, now, this.instance)
        // Stamps of workers long gone are pruned; the set itself vanishes when every worker is gone.
        .zremrangebyscore(this.key, '-inf', now - 30 * HEARTBEAT_STALE_MS)
        .pexpire(this.key, 30 * HEARTBEAT_STALE_MS)
        .exec();
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'worker heartbeat not written');
    }
  }
}

/** The newest heartbeat of any worker, and how many workers stamped within the stale limit. */
export async function readHeartbeats(
  queue: Queue,
  config: Pick<AppConfig, 'queuePrefix'>,
  now = Date.now(),
): Promise<{ newestAgeMs: number | null; alive: number }> {
  const key = observabilityKeys(config).workerHeartbeats;
  const [newest, alive] = await Promise.all([queue.client.zrevrange(key, 0, 0, 'WITHSCORES'), queue.client.zcount(key, now - HEARTBEAT_STALE_MS, '+inf')]);
  return { newestAgeMs: newest.length === 2 ? Math.max(0, now - Number(newest[1])) : null, alive };
}
