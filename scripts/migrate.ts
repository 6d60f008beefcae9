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
