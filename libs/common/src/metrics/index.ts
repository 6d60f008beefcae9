export * from './metrics.service';
export * from './http-metrics';
