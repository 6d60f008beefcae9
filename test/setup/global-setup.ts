import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../libs/database/src/database-options';
import { testDatabaseUrl } from '../support/test-database';

/**
 * Once per run: a fresh test database, migrated with the real migrations. Test files then isolate
 * their data by creating their own merchants, never by truncating.
 */
export default async function globalSetup(): Promise<void> {
  const url = new URL(testDatabaseUrl());
  const database = {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    name: url.pathname.slice(1),
  };
  let connection;
  try {
    connection = await createConnection({ host: database.host, port: database.port, user: database.user, password: database.password, connectTimeout: 5000 });
  } catch (error) {
    throw new Error(
      `Tests need MySQL at ${database.host}:${database.port} (${(error as { code?: string }).code ?? (error as Error).message}). Start it: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`,
      { cause: error },
    );
  }
  await connection.query(`DROP DATABASE IF EXISTS \`${database.name}\``);
  await connection.query(`CREATE DATABASE \`${database.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await connection.end();

  const dataSource = new DataSource(buildDataSourceOptions({ database }));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
}
