import { DynamicModule, Module, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from '@payhub/common';
import { NotificationsModule, WebhookOptions } from '@payhub/notifications';
import { ObservabilityModule } from '@payhub/observability';
import { ReconciliationModule, ReconciliationOptions } from '@payhub/reconciliation';
import { payhubModules } from '../../shared/payhub-modules';
import { MaintenanceProcessor } from './maintenance.processor';
import { MaintenanceScheduler } from './maintenance.scheduler';
import { NotificationsProcessor } from './notifications.processor';
import { NotificationsScheduler } from './notifications.scheduler';
import { PayoutsProcessor } from './payouts.processor';
import { PayoutsScheduler } from './payouts.scheduler';
import { ReconciliationScheduler } from './reconciliation.scheduler';
import { ReportsProcessor } from './reports.processor';
import { StatusSyncProcessor } from './status-sync.processor';
import { WebhookLanesConsumer } from './webhook-lanes.consumer';

export interface WorkerOptions {
  /** false: processors only, no timers (tests drive the schedulers by hand). */
  schedule?: boolean;
  extraModules?: Array<Type | DynamicModule>;
  /** Overrides of the webhook retry schedule and timeouts; production uses the defaults. */
  notifications?: Partial<WebhookOptions>;
  /** Overrides of the status-check schedule and session lifetimes; production uses the defaults. */
  reconciliation?: Partial<ReconciliationOptions>;
  /** Serve /metrics at HOST:WORKER_METRICS_PORT (the compiled worker does; in-process test workers do not). */
  serveMetrics?: boolean;
}

/** The worker: Bull processors and timers over the same lib modules as the api, no HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, options: WorkerOptions = {}): DynamicModule {
    const schedule = options.schedule !== false;
    return {
      module: WorkerModule,
      imports: [
        ...payhubModules(config, 'worker'),
        NotificationsModule.forRoot(options.notifications),
        ReconciliationModule.forRoot(options.reconciliation),
        ObservabilityModule.forRoot({ process: 'worker', serveMetrics: options.serveMetrics }),
        ...(schedule ? [ScheduleModule.forRoot()] : []),
        ...(options.extraModules ?? []),
      ],
      providers: [
        MaintenanceProcessor,
        NotificationsProcessor,
        // Approved payouts are submitted here, once per withdrawal (job id = transaction id).
        PayoutsProcessor,
        StatusSyncProcessor,
        ReportsProcessor,
        WebhookLanesConsumer,
        // Schedulers are providers either way so tests can call them; only ScheduleModule makes them tick.
        MaintenanceScheduler,
        NotificationsScheduler,
        ReconciliationScheduler,
        PayoutsScheduler,
      ],
    };
  }
}
