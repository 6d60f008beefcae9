import type { DynamicModule, Type } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { BackofficeCoreModule } from '@payhub/backoffice';
import { APP_CONFIG, AppConfig, ConfigCacheModule, ConfigModule, loggerOptions, QueueModule } from '@payhub/common';
import { DatabaseModule } from '@payhub/database';
import { MerchantsModule } from '@payhub/merchants';
import { PaymentsModule } from '@payhub/payments';
import { ProviderConfigModule } from '@payhub/provider-config';
import { ProvidersCoreModule } from '@payhub/providers-core';
import { RoutingModule } from '@payhub/routing';
import { TransactionsModule } from '@payhub/transactions';
import { InterkassaModule } from '@payhub/providers-interkassa';
import { PaykassmaModule } from '@payhub/providers-paykassma';
import { KashaModule } from '@payhub/providers-kasha';

/**
 * Provider adapter modules shipped with payhub. The api and the worker both import this list, so a
 * provider added here is served to merchants and reconciled by the worker alike. Tests may add their own.
 */
export const PROVIDER_MODULES: Type[] = [InterkassaModule, KashaModule, PaykassmaModule];

/**
 * The lib modules both processes run on: the api adds its controllers, the worker its processors and
 * timers. One list, so the two never disagree about what is installed.
 */
export function payhubModules(config: AppConfig, processName: 'api' | 'worker'): Array<Type | DynamicModule> {
  return [
    ConfigModule.forRoot(config),
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (c: AppConfig) => loggerOptions(c, processName) }),
    DatabaseModule,
    QueueModule,
    ConfigCacheModule,
    TransactionsModule,
    MerchantsModule,
    BackofficeCoreModule,
    ProvidersCoreModule,
    ProviderConfigModule,
    RoutingModule,
    PaymentsModule,
    ...PROVIDER_MODULES,
  ];
}
