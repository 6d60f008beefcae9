import { DynamicModule, Module, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig, ConfigModule, loggerOptions, QueueModule } from '@payhub/common';
import { DatabaseModule } from '@payhub/database';
import { MerchantsModule } from '@payhub/merchants';
import { ProvidersCoreModule } from '@payhub/providers-core';
import { TransactionsModule } from '@payhub/transactions';
import { MaintenanceProcessor } from './maintenance.processor';
import { MaintenanceScheduler } from './maintenance.scheduler';

/** The worker: Bull processors and timers over the same lib modules as the api, no HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, options: { schedule?: boolean; extraModules?: Array<Type | DynamicModule> } = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (c: AppConfig) => loggerOptions(c, 'worker') }),
        DatabaseModule,
        QueueModule,
        TransactionsModule,
        MerchantsModule,
        ProvidersCoreModule,
        ...(options.schedule === false ? [] : [ScheduleModule.forRoot()]),
        ...(options.extraModules ?? []),
      ],
      providers: [MaintenanceProcessor, ...(options.schedule === false ? [] : [MaintenanceScheduler])],
    };
  }
}
