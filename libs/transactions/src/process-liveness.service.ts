import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig, createRedis, randomToken, RedisClient } from '@payhub/common';

/** How long a process counts as alive after its last heartbeat; it beats three times in that span. */
export const LIVENESS_TTL_MS = 9000;
const KEY_PREFIX = 'payhub:alive:';

/**
 * "Is the process that holds this claim still running?" Each process that claims work names itself
 * (`instanceId`) and keeps a short-lived Redis key alive while it runs; a process killed mid-request
 * stops beating and its key expires within LIVENESS_TTL_MS. The heartbeat starts with the first claim,
 * so processes that never claim (the worker) never beat.
 */
@Injectable()
export class ProcessLiveness implements OnModuleDestroy {
  readonly instanceId = `proc_${randomToken(16)}`;
  private readonly logger = new Logger(ProcessLiveness.name);
  private redis?: RedisClient;
  private timer?: NodeJS.Timeout;
  private started?: Promise<void>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Starts beating (once); a Redis outage only makes this process's liveness unknown to others. */
  async ensureBeating(): Promise<void> {
    this.started ??= this.start();
    await this.started;
  }

  /** true / false when Redis answered; null when it could not be asked (then only the lock's age counts). */
  async isAlive(instanceId: string | null): Promise<boolean | null> {
    if (!instanceId) return false;
    if (instanceId === this.instanceId) return true;
    try {
      return (await this.client().exists(`${KEY_PREFIX}${instanceId}`)) === 1;
    } catch {
      return null;
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.redis) {
      await this.redis.del(`${KEY_PREFIX}${this.instanceId}`).catch(() => undefined);
      this.redis.disconnect();
    }
  }

  private async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), LIVENESS_TTL_MS / 3);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    try {
      await this.client().set(`${KEY_PREFIX}${this.instanceId}`, '1', 'PX', LIVENESS_TTL_MS);
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'liveness heartbeat failed');
    }
  }

  private client(): RedisClient {
    if (!this.redis) {
      this.redis = createRedis(this.config, { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 1500 });
      this.redis.on('error', () => undefined);
    }
    return this.redis;
  }
}
