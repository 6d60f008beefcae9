import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { BackofficeCoreModule } from '@payhub/backoffice';
import { AllExceptionsFilter, APP_CONFIG, AppConfig, ConfigModule, createValidationPipe, loggerOptions, QueueModule } from '@payhub/common';
import { DatabaseModule } from '@payhub/database';
import { MerchantsModule } from '@payhub/merchants';
import { PaymentsModule } from '@payhub/payments';
import { ProviderConfigModule } from '@payhub/provider-config';
import { ProvidersCoreModule } from '@payhub/providers-core';
import { RoutingModule } from '@payhub/routing';
import { TransactionsModule } from '@payhub/transactions';
// Provider libs register their config schemas on import.
import '@payhub/providers-interkassa';
import '@payhub/providers-paykassma';
import '@payhub/providers-kasha';
import { AuthController } from './backoffice/auth.controller';
import { CallbacksController } from './callbacks/callbacks.controller';
import { MerchantsController } from './backoffice/merchants.controller';
import { StaffController } from './backoffice/staff.controller';
import { HealthController } from './health/health.controller';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { DepositsController } from './merchant/deposits.controller';
import { TransactionsController } from './merchant/transactions.controller';
import { WithdrawalsController } from './merchant/withdrawals.controller';
import { PaymentMethodsService } from '@payhub/routing';
import { PaymentMethodsController } from './merchant/payment-methods.controller';
import { ProviderConfigController } from './backoffice/provider-config.controller';
import { ProviderConfigAdminUseCase } from './backoffice/provider-config-admin.use-case';
import { RoutingController } from './backoffice/routing.controller';
import { RoutingAdminUseCase } from './backoffice/routing-admin.use-case';

/** Provider adapter modules shipped with the app. Tests may add their own. */
export const PROVIDER_MODULES: Type[] = [];

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, extraModules: Array<Type | DynamicModule> = []): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (c: AppConfig) => loggerOptions(c, 'api') }),
        DatabaseModule,
        QueueModule,
        TransactionsModule,
        MerchantsModule,
        BackofficeCoreModule,
        ProvidersCoreModule,
        ProviderConfigModule,
        RoutingModule,
        PaymentsModule,
        ...PROVIDER_MODULES,
        ...extraModules,
      ],
      controllers: [
        HealthController,
        CallbacksController,
        DepositsController,
        WithdrawalsController,
        TransactionsController,
        AuthController,
        MerchantsController,
        StaffController,
        ProviderConfigController,
        RoutingController,
        PaymentMethodsController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        IdempotencyInterceptor,
        ProviderConfigAdminUseCase,
        RoutingAdminUseCase,
        PaymentMethodsService,
      ],
    };
  }
}
