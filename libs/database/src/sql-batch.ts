import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createPool, escape, format, Pool, PoolConnection, ResultSetHeader } from 'mysql2';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { APP_CONFIG, AppConfig } from '@payhub/common';

const DEADLOCK_RETRIES = 3;
const POOL_SIZE = 10;

declare const built: unique symbol;

/** One SQL statement whose values are already escaped; only SqlBatch's own builders make one. */
export interface BatchStatement {
  readonly sql: string;
  /** Session variables the statement sets or reads; the batch resets them before its first statement. */
  readonly variables: readonly string[];
  readonly [built]: true;
}

function statement(sql: string, variables: readonly string[] = []): BatchStatement {
  return { sql, variables } as Omit<BatchStatement, typeof built> as BatchStatement;
}

interface Table {
  name: string;
  columns: Map<string, Column>;
}

interface Column {
  metadata: ColumnMetadata;
  /** The column's name as the statements write it, back-quoted once. */
  quoted: string;
}

/**
 * A short DB transaction sent as one multi-statement round trip (`START TRANSACTION; …; COMMIT`), for
 * the payment hot path where each round trip to MySQL costs more than the statement itself.
 *
 * It has its own small pool: the only one with multi-statements on, and every value it sends is escaped
 * by the driver, through the statement builders here (never concatenated by callers). Values are
 * converted exactly as TypeORM converts them (transformers, JSON columns, UTC datetimes), from the same
 * entity metadata, so rows written here and through TypeORM cannot differ. Connections run READ
 * COMMITTED, like every DB transaction in payhub.
 */
@Injectable()
export class SqlBatch implements OnModuleDestroy {
  private readonly logger = new Logger(SqlBatch.name);
  private readonly pool: Pool;
  private readonly tables = new Map<EntityTarget<ObjectLiteral>, Table>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    const { host, port, user, password, name } = config.database;
    this.pool = createPool({
      host,
      port,
      user,
      password,
      database: name,
      multipleStatements: true,
      timezone: 'Z',
      charset: 'UTF8MB4_UNICODE_CI',
      supportBigNumbers: true,
      bigNumberStrings: true,
      connectTimeout: 5000,
      connectionLimit: POOL_SIZE,
      enableKeepAlive: true,
      // Statements arrive fully escaped by the builders below; nothing is left for the driver to format.
      queryFormat: (sql: string) => sql,
    });
    // Queued on each new connection before it is handed out.
    this.pool.on('connection', (connection) => {
      connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', (error) => {
        if (error) this.logger.error({ error: error.message }, 'could not set READ COMMITTED on a new connection');
      });
    });
  }

  async onModuleDestroy(): Promise<void> {
    await new Promise<void>((resolve) => this.pool.end(() => resolve()));
  }

  /**
   * INSERT of the given properties. With `onlyIfOneRow`, an INSERT … SELECT that writes nothing unless the
   * statement remembered under that name (`rememberRowCount`) affected exactly one row.
   */
  insert<T extends ObjectLiteral>(entity: EntityTarget<T>, row: Partial<T>, options: { onlyIfOneRow?: string } = {}): BatchStatement {
    const table = this.table(entity);
    // Built by concatenation over Object.keys: no [key, value] pair nor array per column on the payment path.
    let names = '';
    let values = '';
    for (const property of Object.keys(row)) {
      const value = row[property];
      if (value === undefined) continue;
      const column = this.column(table, property);
      const separator = names ? ', ' : '';
      names += separator + column.quoted;
      values += separator + this.value(column, value);
    }
    const into = `INSERT INTO \`${table.name}\` (${names})`;
    return options.onlyIfOneRow
      ? statement(`${into} SELECT ${values} FROM DUAL WHERE @${sessionVariable(options.onlyIfOneRow)} = 1`, [options.onlyIfOneRow])
      : statement(`${into} VALUES (${values})`);
  }

  /**
   * One `INSERT IGNORE` of many rows that share the first row's properties (a property a later row leaves
   * undefined is written as DEFAULT; one the first row does not set is refused), for a bulk write such as a relay's batch: the same conversion as
   * `insert`, without the per-value parameter bookkeeping of TypeORM's query builder. The statement can also
   * be run alone through a TypeORM manager (`manager.query(statement.sql)`): it needs no formatting.
   */
  insertIgnoreMany<T extends ObjectLiteral>(entity: EntityTarget<T>, rows: ReadonlyArray<Partial<T>>): BatchStatement {
    if (!rows.length) throw new Error('an INSERT needs at least one row');
    const table = this.table(entity);
    const properties = Object.keys(rows[0]).filter((property) => rows[0][property] !== undefined);
    const columns = properties.map((property) => this.column(table, property));
    const known = new Set(properties);
    let values = '';
    for (const row of rows) {
      // A value the first row lacks would have no column to go to: refused, never dropped without a word.
      for (const property of Object.keys(row)) {
        if (row[property] !== undefined && !known.has(property)) throw new Error(`${table.name}: property ${property} is not set in the first row`);
      }
      let tuple = '';
      for (let i = 0; i < properties.length; i++) {
        const value = row[properties[i]];
        tuple += (i ? ', ' : '') + (value === undefined ? 'DEFAULT' : this.value(columns[i], value));
      }
      values += (values ? ', (' : '(') + tuple + ')';
    }
    return statement(`INSERT IGNORE INTO \`${table.name}\` (${columns.map((c) => c.quoted).join(', ')}) VALUES ${values}`);
  }

  /** UPDATE … SET the given properties WHERE every property of `where` equals its (non-null) value. */
  update<T extends ObjectLiteral>(entity: EntityTarget<T>, set: Partial<T>, where: Partial<T>): BatchStatement {
    const table = this.table(entity);
    const conditions = Object.values(where);
    if (!conditions.length || conditions.some((v) => v === undefined || v === null)) throw new Error(`an UPDATE of ${table.name} needs non-null conditions`);
    const assign = (entries: Array<[string, unknown]>, separator: string) =>
      entries
        .filter(([, v]) => v !== undefined)
        .map(([property, value]) => {
          const column = this.column(table, property);
          return `${column.quoted} = ${this.value(column, value)}`;
        })
        .join(separator);
    return statement(`UPDATE \`${table.name}\` SET ${assign(Object.entries(set), ', ')} WHERE ${assign(Object.entries(where), ' AND ')}`);
  }

  /**
   * A statement written here in code with `?` placeholders, for what the builders cannot say (a guarded
   * DELETE, an UPDATE whose value depends on the row). The driver escapes every value; callers pass
   * values, never SQL assembled from input.
   */
  query(sql: string, values: unknown[]): BatchStatement {
    return statement(format(sql, values as Parameters<typeof format>[1], true, 'Z'));
  }

  /** Keeps the affected-row count of the statement before it under `name`, for a later `onlyIfOneRow`. */
  rememberRowCount(name: string): BatchStatement {
    return statement(`SET @${sessionVariable(name)} = ROW_COUNT()`, [name]);
  }

  /**
   * Runs the statements in one DB transaction, in one round trip, and answers each statement's affected
   * rows. Any error rolls the whole transaction back; a deadlock victim is run again.
   *
   * Session variables live on the pooled connection, not in the transaction: every one the batch uses
   * is set to NULL first, so a value left by an earlier batch (or by a batch cut off by a failover and
   * retried on another connection) never decides a guarded insert here.
   */
  async transaction(statements: BatchStatement[]): Promise<number[]> {
    const variables = [...new Set(statements.flatMap((s) => s.variables))];
    const reset = variables.length ? [`SET ${variables.map((v) => `@${sessionVariable(v)} = NULL`).join(', ')}`] : [];
    const sql = [...reset, 'START TRANSACTION', ...statements.map((s) => s.sql), 'COMMIT'].join(';\n');
    for (let attempt = 1; ; attempt++) {
      try {
        const results = await this.run(sql);
        return results.slice(reset.length + 1, -1).map((r) => r.affectedRows);
      } catch (error) {
        if (attempt >= DEADLOCK_RETRIES || (error as { code?: string }).code !== 'ER_LOCK_DEADLOCK') throw error;
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.floor(Math.random() * 20)));
      }
    }
  }

  private run(sql: string): Promise<ResultSetHeader[]> {
    return new Promise((resolve, reject) => {
      this.pool.getConnection((connectError, connection) => {
        if (connectError) return reject(connectError);
        connection.query<ResultSetHeader[]>(sql, (error, results) => {
          if (!error) {
            connection.release();
            return resolve(results);
          }
          // MySQL stops a batch at its first error with the transaction still open.
          rollback(connection);
          reject(error);
        });
      });
    });
  }

  private table(entity: EntityTarget<ObjectLiteral>): Table {
    let table = this.tables.get(entity);
    if (!table) {
      const metadata = this.dataSource.getMetadata(entity);
      table = { name: metadata.tableName, columns: new Map(metadata.columns.map((c) => [c.propertyName, { metadata: c, quoted: `\`${c.databaseName}\`` }])) };
      this.tables.set(entity, table);
    }
    return table;
  }

  private column(table: Table, property: string): Column {
    const column = table.columns.get(property);
    if (!column) throw new Error(`${table.name} has no column for property ${property}`);
    return column;
  }

  private value(column: Column, value: unknown): string {
    return escape(this.dataSource.driver.preparePersistentValue(value, column.metadata), true, 'Z');
  }
}

function sessionVariable(name: string): string {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`invalid session variable name ${name}`);
  return name;
}

function rollback(connection: PoolConnection): void {
  connection.query('ROLLBACK', (error) => {
    if (error) connection.destroy();
    else connection.release();
  });
}
