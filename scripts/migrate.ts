import 'reflect-metadata';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@payhub/common';
import { buildDataSourceOptions } from '@payhub/database';
import { preflight } from '../apps/shared/preflight';

export async function runMigrations(config: AppConfig, log: (line: string) => void = console.log): Promise<void> {
  const dataSource = new DataSource(buildDataSourceOptions(config));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    log(applied.length ? `migrations applied: ${applied.map((m) => m.name).join(', ')}` : 'database schema is up to date');
  } finally {
    await dataSource.destroy();
  }
}

/** Names of the migrations this build has that the database has not run; it never runs them. */
export async function pendingMigrations(config: AppConfig): Promise<string[]> {
  const dataSource = new DataSource(buildDataSourceOptions(config));
  await dataSource.initialize();
  try {
    const tables: unknown[] = await dataSource.query("SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'migrations'");
    const applied = new Set<string>(tables.length ? (await dataSource.query('SELECT name FROM migrations')).map((r: { name: string }) => r.name) : []);
    return dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
  } finally {
    await dataSource.destroy();
  }
}

async function main(): Promise<void> {
  const config = await preflight('migrate');
  if (process.argv.includes('--revert')) {
    const dataSource = new DataSource(buildDataSourceOptions(config));
    await dataSource.initialize();
    await dataSource.undoLastMigration({ transaction: 'each' });
    await dataSource.destroy();
    console.log('reverted the last migration');
    return;
  }
  await runMigrations(config);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
