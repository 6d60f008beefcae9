import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { MysqlConnectionCredentialsOptions } from 'typeorm/driver/mysql/MysqlConnectionCredentialsOptions';
import { APP_CONFIG, AppConfig } from '@payhub/common';
import { buildDataSourceOptions } from './database-options';

/**
 * Where back-office reads and reports go: the replicas of `DATABASE_REPLICA_URLS` (a pool of their
 * own; TypeORM picks one per query), or the primary when none is configured. Only for reads that may
 * lag the primary by the replication delay: searches, lists, reports. Never the payment path, never
 * a read that must see a write just made, never anything inside a transaction.
 */
@Injectable()
export class ReadReplicas implements OnModuleDestroy {
  private readonly logger = new Logger(ReadReplicas.name);
  private replicas?: Promise<DataSource>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly primary: DataSource,
  ) {}

  /** true when reads through here go to replicas rather than the primary. */
  get configured(): boolean {
    return this.config.databaseReplicas.length > 0;
  }

  /** The data source for a lagging-tolerant read. Opened on first use, so processes that never read here never connect. */
  async dataSource(): Promise<DataSource> {
    if (!this.configured) return this.primary;
    this.replicas ??= this.open().catch((error: unknown) => {
      this.replicas = undefined;
      throw error;
    });
    return this.replicas;
  }

  async onModuleDestroy(): Promise<void> {
    const replicas = await this.replicas?.catch(() => undefined);
    if (replicas?.isInitialized) await replicas.destroy();
  }

  private async open(): Promise<DataSource> {
    const base = buildDataSourceOptions(
      this.config,
      this.primary.entityMetadatas.map((m) => m.target),
    );
    const credentials = (db: AppConfig['database']): MysqlConnectionCredentialsOptions => ({
      host: db.host,
      port: db.port,
      username: db.user,
      password: db.password,
      database: db.name,
    });
    const options = {
      ...base,
      migrations: [],
      // TypeORM sends reads to a "slave" and writes to the "master"; nothing written goes through here,
      // and the master is the first replica so that a stray write fails on a read-only server rather than landing.
      replication: { master: credentials(this.config.databaseReplicas[0]), slaves: this.config.databaseReplicas.map(credentials) },
      extra: { connectionLimit: 10 },
    } as DataSourceOptions;
    const dataSource = await new DataSource(options).initialize();
    this.logger.log({ replicas: this.config.databaseReplicas.map((r) => `${r.host}:${r.port}/${r.name}`) }, 'back-office reads go to read replicas');
    return dataSource;
  }
}
