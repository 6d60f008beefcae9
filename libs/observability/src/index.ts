export * from './redis-keys';
export * from './worker-heartbeat';
export * from './readiness.service';
export * from './gauge-collector.service';
export * from './queue-admin.service';
export * from './worker-metrics.server';
export * from './job-tracing';
export * from './observability.module';
