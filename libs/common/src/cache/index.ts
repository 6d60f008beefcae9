export * from './config-change-bus';
export * from './merchant-cache';
export * from './config-cache.module';
