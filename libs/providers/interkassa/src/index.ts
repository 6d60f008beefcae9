export * from './interkassa-account.schema';
export * from './interkassa-signature';
export * from './interkassa-status';
export * from './interkassa.provider';
export * from './interkassa.module';
