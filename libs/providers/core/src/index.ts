export * from './provider.types';
export * from './payment-provider.port';
export * from './provider-registry';
export * from './providers-core.module';
export * from './instrumented-provider';
