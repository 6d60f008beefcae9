import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * Runs `work` in one DB transaction. When the caller already holds a manager inside a transaction,
 * the work joins it instead of opening a nested one.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, outer?: EntityManager): Promise<T> {
  if (outer?.queryRunner?.isTransactionActive) return work(outer);
  return dataSource.transaction('READ COMMITTED', work);
}

/** MySQL duplicate-key error (unique index), as raised through TypeORM. */
export function isDuplicateKeyError(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  return e?.code === 'ER_DUP_ENTRY' || e?.driverError?.code === 'ER_DUP_ENTRY';
}

/**
 * Plain INSERT without TypeORM's re-read (`save()` selects the row back): one round trip.
 * The cast is the one place JSON-typed columns meet TypeORM's deep-partial typing.
 */
export async function insertRows<T extends ObjectLiteral>(manager: EntityManager | DataSource, entity: EntityTarget<T>, rows: Partial<T> | Array<Partial<T>>): Promise<void> {
  await manager.createQueryBuilder().insert().into(entity).values(rows as QueryDeepPartialEntity<T>).updateEntity(false).execute();
}

/** Plain UPDATE … WHERE, no re-read; answers how many rows changed. */
export async function updateRows<T extends ObjectLiteral>(manager: EntityManager | DataSource, entity: EntityTarget<T>, set: Partial<T>, where: string, params: ObjectLiteral): Promise<number> {
  const result = await manager.createQueryBuilder().update(entity).set(set as QueryDeepPartialEntity<T>).where(where, params).updateEntity(false).execute();
  return result.affected ?? 0;
}
