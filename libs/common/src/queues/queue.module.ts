import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config';
import { DeadLetters } from './dead-letters';
import { claimQueuePrefix } from './queue-prefix';
import { ALL_QUEUES } from './queues';

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      // The prefix is claimed before any queue exists, so a process on a prefix of another database never takes a job.
      useFactory: async (config: AppConfig) => {
        const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
        try {
          await redis.connect();
          await claimQueuePrefix(redis, config);
        } finally {
          redis.disconnect();
        }
        return { url: config.redisUrl, prefix: config.queuePrefix };
      },
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [DeadLetters],
  exports: [BullModule, DeadLetters],
})
export class QueueModule {}
