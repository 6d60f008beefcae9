import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProviderConfigVersionEntity } from './provider-config-version.entity';
import { ProviderConfigService } from './provider-config.service';

export const PROVIDER_CONFIG_ENTITIES = [ProviderConfigVersionEntity];

@Global()
@Module({
  imports: [TypeOrmModule.forFeature(PROVIDER_CONFIG_ENTITIES)],
  providers: [ProviderConfigService],
  exports: [ProviderConfigService],
})
export class ProviderConfigModule {}
