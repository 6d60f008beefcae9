import { DynamicModule, Module, Provider } from '@nestjs/common';
import { GaugeCollector } from './gauge-collector.service';
import { JobTracing } from './job-tracing';
import { QueueAdminService } from './queue-admin.service';
import { ReadinessService } from './readiness.service';
import { WorkerHeartbeat } from './worker-heartbeat';
import { WorkerMetricsServer } from './worker-metrics.server';

export interface ObservabilityOptions {
  process: 'api' | 'worker';
  /** The worker's own /metrics server (the compiled worker turns it on; in-process test workers leave it off). */
  serveMetrics?: boolean;
}

/** Health, heartbeat, gauges and job tracing for one process: the api reads what the worker stamps. */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const providers: Provider[] = [GaugeCollector, JobTracing];
    if (options.process === 'api') providers.push(ReadinessService, QueueAdminService);
    if (options.process === 'worker') providers.push(WorkerHeartbeat);
    if (options.serveMetrics) providers.push(WorkerMetricsServer);
    return { module: ObservabilityModule, providers, exports: providers };
  }
}
