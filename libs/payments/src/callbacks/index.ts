export * from './callback-inbox.entity';
export * from './transaction-account-lookup';
export * from './handle-callback.use-case';
export * from './trailing-status-check';
