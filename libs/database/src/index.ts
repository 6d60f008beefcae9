export * from './column-transformers';
export * from './database-options';
export * from './ensure-database';
export * from './transaction-helper';
export * from './database.module';
export * from './sql-batch';
export * from './read-replicas';
