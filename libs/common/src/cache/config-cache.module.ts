import { Global, Module } from '@nestjs/common';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { ConfigChangeBus } from './config-change-bus';

/** What every payhub process shares through Redis besides queues: change announcements and rate limits. */
@Global()
@Module({ providers: [ConfigChangeBus, RateLimiter], exports: [ConfigChangeBus, RateLimiter] })
export class ConfigCacheModule {}
