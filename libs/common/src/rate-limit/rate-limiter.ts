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
 * Opens a window unless one is open: the value is the window's end on Redis's clock (ms), so every process
 * coalescing into it names the same end. A key of an older release (value '1') is read through its remaining time.
 */
const OPEN_WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ends = now + tonumber(ARGV[1])
if redis.call('SET', KEYS[1], string.format('%d', ends), 'PX', ARGV[1], 'NX') then return { 1, ends } end
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or current < now - 1000 then current = now + math.max(redis.call('PTTL', KEYS[1]), 0) end
return { 0, current }`;

/**
 * The next window after the one ending at ARGV[2], unless a later caller opened one already (its own check
 * then came after everything the ending window held back). A window still open under the same end (this
 * job ran a little early: process clocks differ from Redis's) is the one being closed: it is replaced.
 */
const OPEN_NEXT_WINDOW = `
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[2] then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
-- Never the end being replaced, so that window's end names one job only.
local ends = math.max(now + tonumber(ARGV[1]), tonumber(ARGV[2]) + 1)
redis.call('SET', KEYS[1], string.format('%d', ends), 'PX', ends - now)
return 1`;

/**
 * Fixed-window counters in Redis, shared by every api process. When Redis cannot answer, requests
 * pass (logged): a limiter outage must not take payments down with it.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly redis: RedisClient & {
    payhubHit?: (key: string, windowMs: number) => Promise<[number, number]>;
    payhubOpenWindow?: (key: string, windowMs: number) => Promise<[number, number]>;
    payhubOpenNextWindow?: (key: string, windowMs: number, endsAt: string) => Promise<number>;
  };
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = `${config.queuePrefix}:rl:`;
    this.redis = createRedis(config, { maxRetriesPerRequest: 1, lazyConnect: true, enableOfflineQueue: true });
    this.redis.defineCommand('payhubHit', { numberOfKeys: 1, lua: FIXED_WINDOW });
    this.redis.defineCommand('payhubOpenWindow', { numberOfKeys: 1, lua: OPEN_WINDOW });
    this.redis.defineCommand('payhubOpenNextWindow', { numberOfKeys: 1, lua: OPEN_NEXT_WINDOW });
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

  /**
   * True for the first caller per `key` within `windowMs` (e.g. one status check per 10 s), false for the rest,
   * with the window's end (ms since the epoch, Redis's clock), the same for every caller. Redis down: all first.
   */
  async openWindow(key: string, windowMs: number): Promise<{ first: boolean; endsAt: number }> {
    try {
      const [first, endsAt] = await this.redis.payhubOpenWindow!(`${this.prefix}once:${key}`, windowMs);
      return { first: first === 1, endsAt: Number(endsAt) };
    } catch (error) {
      this.logger.warn({ key, error: (error as Error).message }, 'coalescing not checked');
      return { first: true, endsAt: Date.now() + windowMs };
    }
  }

  /**
   * Opens the window after the one `openWindow` said ends at `endsAt`, for a caller answering what that window
   * held back; false when a later caller already opened one. Redis errors are thrown (a queued job retries).
   */
  async openNextWindow(key: string, windowMs: number, endsAt: number): Promise<boolean> {
    return (await this.redis.payhubOpenNextWindow!(`${this.prefix}once:${key}`, windowMs, String(endsAt))) === 1;
  }
}
