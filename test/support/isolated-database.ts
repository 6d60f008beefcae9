import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../libs/database/src/database-options';
import { testDatabaseUrl } from './test-database';

/**
 * A freshly migrated database of the spec's own, next to the shared test database. Specs whose
 * workers relay the whole outbox or scan every unfinished transaction use one, so workers of
 * specs running in parallel never pick up each other's rows.
 */
export async function isolatedDatabaseUrl(suffix: string): Promise<string> {
  const url = new URL(testDatabaseUrl());
  const name = `${url.pathname.slice(1)}_${suffix}`;
  const database = {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    name,
  };
  const connection = await createConnection({ host: database.host, port: database.port, user: database.user, password: database.password });
  await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await connection.end();
  const dataSource = new DataSource(buildDataSourceOptions({ database }));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  url.pathname = `/${name}`;
  return url.toString();
}
