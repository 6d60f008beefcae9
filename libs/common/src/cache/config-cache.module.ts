import { Global, Module } from '@nestjs/common';
import { ConfigChangeBus } from './config-change-bus';

@Global()
@Module({ providers: [ConfigChangeBus], exports: [ConfigChangeBus] })
export class ConfigCacheModule {}
