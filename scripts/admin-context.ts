import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { BackofficeCoreModule } from '@payhub/backoffice';
import { AppConfig, ConfigCacheModule, ConfigModule } from '@payhub/common';
import { DatabaseModule } from '@payhub/database';
import { MerchantsModule } from '@payhub/merchants';
import { ProviderConfigModule } from '@payhub/provider-config';
import { ProvidersCoreModule } from '@payhub/providers-core';
import { RoutingModule } from '@payhub/routing';
import { PROVIDER_MODULES } from '../apps/shared/payhub-modules';

/** The lib modules the CLI and the demo seed work through: same services, no HTTP; the adapters bring their config schemas. */
export async function createAdminContext(config: AppConfig): Promise<INestApplicationContext> {
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      ConfigCacheModule,
      DatabaseModule,
      MerchantsModule,
      BackofficeCoreModule,
      ProvidersCoreModule,
      ProviderConfigModule,
      RoutingModule,
      ...PROVIDER_MODULES,
    ],
  })
  class AdminModule {}
  return NestFactory.createApplicationContext(AdminModule, { logger: ['error', 'warn'] });
}
