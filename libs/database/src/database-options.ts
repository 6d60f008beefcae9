import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '@payhub/common';
import { MIGRATIONS } from '../../../migrations';

/** Shared by the app, the migrations CLI and the tests: one place that says how payhub talks to MySQL. */
export function buildDataSourceOptions(config: Pick<AppConfig, 'database'>, entities: DataSourceOptions['entities'] = []): DataSourceOptions {
  const { host, port, user, password, name } = config.database;
  return {
    type: 'mysql',
    host,
    port,
    username: user,
    password,
    database: name,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: 5000,
    extra: { connectionLimit: 20 },
    logging: false,
  };
}
