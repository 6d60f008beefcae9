export * from './paykassma-account.schema';
export * from './paykassma.provider';
export * from './paykassma.module';
export * from './paykassma-signature';
export * from './php-json';
