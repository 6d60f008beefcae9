export * from './maker-checker.use-case';
export * from './provider-config-admin.use-case';
export * from './routing-admin.use-case';
export * from './force-status.use-case';
export * from './transaction-detail.query';
