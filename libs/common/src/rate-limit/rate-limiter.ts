import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { DomainError, ErrorCode } from '../errors';
import { createRedis, RedisClient } from '../redis';

/** INCR and, on the window's first hit, PEXPIRE: one atomic step, so every api process counts in one place. */
const FIXED_WINDOW = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }`;

/**
 * Fixed-window counters in Redis, shared by every api process. When Redis cannot answer, requests
 * pass (logged): a limiter outage must not take payments down with it.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly redis: RedisClient & { payhubHit?: (key: string, windowMs: number) => Promise<[number, number]> };
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = `${config.queuePrefix}:rl:`;
    this.redis = createRedis(config, { maxRetriesPerRequest: 1, lazyConnect: true, enableOfflineQueue: true });
    this.redis.defineCommand('payhubHit', { numberOfKeys: 1, lua: FIXED_WINDOW });
    this.redis.on('error', (error) => this.logger.warn({ error: error.message }, 'rate limiter: redis error'));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis.status !== 'wait' && this.redis.status !== 'end') await this.redis.quit().catch(() => undefined);
  }

  /** Counts one hit on `bucket`; over `limit` within the window → RATE_LIMITED with the seconds to wait. 0 = no limit. */
  async hit(bucket: string, limit: number, windowMs: number): Promise<void> {
    if (limit <= 0) return;
    let count: number;
    let ttlMs: number;
    try {
      [count, ttlMs] = await this.redis.payhubHit!(this.prefix + bucket, windowMs);
    } catch (error) {
      this.logger.warn({ bucket, error: (error as Error).message }, 'rate limit not checked');
      return;
    }
    if (count > limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
      throw new DomainError(ErrorCode.RATE_LIMITED, `Too many requests; retry in ${retryAfterSeconds} s`, [], { retryAfterSeconds });
    }
  }

  /** True for the first caller per `key` within `windowMs`, false for the rest (e.g. one status check per 10 s). */
  async once(key: string, windowMs: number): Promise<boolean> {
    try {
      return (await this.redis.set(`${this.prefix}once:${key}`, '1', 'PX', windowMs, 'NX')) === 'OK';
    } catch (error) {
      this.logger.warn({ key, error: (error as Error).message }, 'coalescing not checked');
      return true;
    }
  }
}
