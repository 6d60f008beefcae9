export * from './tx-type';
export * from './tx-status';
export * from './transition-table';
