import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ProviderRegistry } from './provider-registry';

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [ProviderRegistry],
  exports: [ProviderRegistry],
})
export class ProvidersCoreModule {}
