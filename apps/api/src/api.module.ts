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
import { NotificationsModule } from '@payhub/notifications';
import { ReconciliationModule } from '@payhub/reconciliation';
import { AuditLogController } from './backoffice/audit-log.controller';
import { MerchantPayoutSettingsController } from './backoffice/merchant-payout-settings.controller';
import { BackofficeTransactionsController } from './backoffice/transactions.controller';
import { BackofficeWithdrawalsController } from './backoffice/withdrawals.controller';
import { RefundsController } from './merchant/refunds.controller';
import { AuthController } from './backoffice/auth.controller';
import { CallbacksController } from './callbacks/callbacks.controller';
import { MerchantsController } from './backoffice/merchants.controller';
import { StaffController } from './backoffice/staff.controller';
import { HealthController } from './health/health.controller';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { ActivationController } from './merchant/activation.controller';
import { DepositsController } from './merchant/deposits.controller';
import { TransactionsController } from './merchant/transactions.controller';
import { WithdrawalsController } from './merchant/withdrawals.controller';
import { PaymentMethodsService } from '@payhub/routing';
import { PaymentMethodsController } from './merchant/payment-methods.controller';
import { ProviderConfigController } from './backoffice/provider-config.controller';
import { ProviderConfigAdminUseCase } from './backoffice/provider-config-admin.use-case';
import { RoutingController } from './backoffice/routing.controller';
import { RoutingAdminUseCase } from './backoffice/routing-admin.use-case';
import { ReconciliationReportsController } from './backoffice/reconciliation-reports.controller';
import { WebhookDeliveriesController } from './backoffice/webhook-deliveries.controller';
import { PROVIDER_MODULES } from './provider-modules';

export { PROVIDER_MODULES };

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
        NotificationsModule.forRoot(),
        ReconciliationModule.forRoot(),
        ...PROVIDER_MODULES,
        ...extraModules,
      ],
      controllers: [
        HealthController,
        CallbacksController,
        DepositsController,
        ActivationController,
        WithdrawalsController,
        TransactionsController,
        AuthController,
        MerchantsController,
        StaffController,
        ProviderConfigController,
        RoutingController,
        PaymentMethodsController,
        RefundsController,
        BackofficeTransactionsController,
        BackofficeWithdrawalsController,
        AuditLogController,
        MerchantPayoutSettingsController,
        WebhookDeliveriesController,
        ReconciliationReportsController,
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
