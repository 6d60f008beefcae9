export * from './kasha-account.schema';
export * from './kasha-error-codes';
export * from './kasha.provider';
export * from './kasha.module';
