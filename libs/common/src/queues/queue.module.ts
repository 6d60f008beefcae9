import { BullModule, getQueueToken } from '@nestjs/bull';
import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { APP_CONFIG, AppConfig } from '../config';
import { bullConnection, createRedis, RedisClient } from '../redis';
import { DeadLetters } from './dead-letters';
import { claimQueuePrefix } from './queue-prefix';
import { ALL_QUEUES } from './queues';

/** Connections Bull was handed through `createClient` (Redis Cluster), which Bull does not close itself. */
const opened: RedisClient[] = [];

@Injectable()
class QueueConnections implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {}

  async onApplicationShutdown(): Promise<void> {
    if (!opened.length) return;
    // Queue.close is idempotent: whichever hook runs first closes the queues, then their connections go.
    await Promise.allSettled(ALL_QUEUES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }).close()));
    await Promise.allSettled(opened.splice(0).map((client) => client.quit()));
  }
}

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      // The prefix is claimed before any queue exists, so a process on a prefix of another database never takes a job.
      useFactory: async (config: AppConfig) => {
        const redis = createRedis(config, { lazyConnect: true, maxRetriesPerRequest: 1 });
        try {
          await redis.connect();
          await claimQueuePrefix(redis, config);
        } finally {
          redis.disconnect();
        }
        return { ...bullConnection(config, opened), prefix: config.queuePrefix };
      },
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [DeadLetters, QueueConnections],
  exports: [BullModule, DeadLetters],
})
export class QueueModule {}
