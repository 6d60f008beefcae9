export * from './force-status.use-case';
export * from './transaction-detail.query';
