import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter, AppConfig, createValidationPipe } from '@payhub/common';
import { NotificationsModule } from '@payhub/notifications';
import { ObservabilityModule } from '@payhub/observability';
import { ReconciliationModule } from '@payhub/reconciliation';
import { AuditLogController } from './backoffice/audit-log.controller';
import { MerchantPayoutSettingsController } from './backoffice/merchant-payout-settings.controller';
import { MerchantWebhookEventsController } from './backoffice/merchant-webhook-events.controller';
import { BackofficeTransactionsController } from './backoffice/transactions.controller';
import { BackofficeWithdrawalsController } from './backoffice/withdrawals.controller';
import { RefundsController } from './merchant/refunds.controller';
import { AuthController } from './backoffice/auth.controller';
import { CallbacksController } from './callbacks/callbacks.controller';
import { MerchantsController } from './backoffice/merchants.controller';
import { StaffController } from './backoffice/staff.controller';
import { PendingChangesController } from './backoffice/pending-changes.controller';
import { HealthController } from './health/health.controller';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { ActivationController } from './merchant/activation.controller';
import { DepositsController } from './merchant/deposits.controller';
import { TransactionsController } from './merchant/transactions.controller';
import { WithdrawalsController } from './merchant/withdrawals.controller';
import { PaymentMethodsService } from '@payhub/routing';
import { PaymentMethodsController } from './merchant/payment-methods.controller';
import { ProviderConfigController, ProviderConfigFormsController } from './backoffice/provider-config.controller';
import { RoutingController } from './backoffice/routing.controller';
import {
  CsvExportsQuery,
  DashboardQuery,
  ForceStatusUseCase,
  MakerCheckerUseCase,
  PayoutApprovalQueueQuery,
  ProviderConfigAdminUseCase,
  RoutingAdminUseCase,
  StaffCheckStatusUseCase,
  TransactionDetailQuery,
  TransactionTimelineQuery,
} from '@payhub/backoffice-operations';
import { DashboardController } from './backoffice/dashboard.controller';
import { ReconciliationReportsController } from './backoffice/reconciliation-reports.controller';
import { WebhookDeliveriesController } from './backoffice/webhook-deliveries.controller';
import { QueuesController } from './backoffice/queues.controller';
import { payhubModules } from '../../shared/payhub-modules';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, extraModules: Array<Type | DynamicModule> = []): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ...payhubModules(config, 'api'),
        NotificationsModule.forRoot(),
        ReconciliationModule.forRoot(),
        ObservabilityModule.forRoot({ process: 'api' }),
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
        PendingChangesController,
        ProviderConfigController,
        ProviderConfigFormsController,
        RoutingController,
        PaymentMethodsController,
        RefundsController,
        BackofficeTransactionsController,
        BackofficeWithdrawalsController,
        AuditLogController,
        MerchantPayoutSettingsController,
        MerchantWebhookEventsController,
        WebhookDeliveriesController,
        ReconciliationReportsController,
        QueuesController,
        DashboardController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        IdempotencyInterceptor,
        ProviderConfigAdminUseCase,
        MakerCheckerUseCase,
        RoutingAdminUseCase,
        ForceStatusUseCase,
        TransactionDetailQuery,
        TransactionTimelineQuery,
        StaffCheckStatusUseCase,
        DashboardQuery,
        CsvExportsQuery,
        PayoutApprovalQueueQuery,
        PaymentMethodsService,
      ],
    };
  }
}
