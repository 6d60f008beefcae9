/**
 * payhub's vocabulary kernel: the words every layer shares (statuses, types, failure codes, next
 * actions, the transition table). It imports nothing, so providers and persistence can both own it.
 */
export * from './tx-type';
export * from './tx-status';
export * from './failure';
export * from './next-action';
export * from './transition-table';
export * from './refund-ceiling';
export * from './payway-mapping';
