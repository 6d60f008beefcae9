import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { createRedis, RedisClient } from '../redis';

type Listener = (merchantId: string) => void;

/**
 * Announces "this merchant's routing or provider config changed" to every payhub process (Redis
 * pub/sub) and, synchronously, to this one. Caches drop the merchant's entry on hearing it; their TTL
 * bounds what a missed message can cost.
 */
@Injectable()
export class ConfigChangeBus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ConfigChangeBus.name);
  private readonly listeners = new Set<Listener>();
  private readonly channel: string;
  private publisher?: RedisClient;
  private subscriber?: RedisClient;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.channel = `${config.queuePrefix}:config-changed`;
  }

  async onModuleInit(): Promise<void> {
    this.publisher = createRedis(this.config, { maxRetriesPerRequest: 1 });
    this.subscriber = createRedis(this.config);
    for (const client of [this.publisher, this.subscriber])
      client.on('error', (error) => this.logger.warn({ error: error.message }, 'config change bus: redis error'));
    this.subscriber.on('message', (_channel: string, merchantId: string) => this.notify(merchantId));
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([this.subscriber?.quit(), this.publisher?.quit()]);
  }

  onChange(listener: Listener): void {
    this.listeners.add(listener);
  }

  /** Call once the change is committed. */
  async changed(merchantId: string): Promise<void> {
    this.notify(merchantId);
    try {
      await this.publisher?.publish(this.channel, merchantId);
    } catch (error) {
      this.logger.warn({ merchantId, error: (error as Error).message }, 'config change not announced; other processes catch up within the cache TTL');
    }
  }

  private notify(merchantId: string): void {
    for (const listener of this.listeners) listener(merchantId);
  }
}
