import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

const DEADLOCK_RETRIES = 3;

/**
 * Runs `work` in one DB transaction, READ COMMITTED: no gap locks, so writers of different merchants'
 * rows never block each other. When the caller already holds a manager inside a transaction, the work
 * joins it instead of opening a nested one. A transaction MySQL picks as a deadlock victim is rolled
 * back whole and run again; `work` must therefore touch only the database (never a provider).
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, outer?: EntityManager): Promise<T> {
  if (outer?.queryRunner?.isTransactionActive) return work(outer);
  for (let attempt = 1; ; attempt++) {
    const committed: AfterCommit[] = [];
    try {
      const result = await dataSource.transaction('READ COMMITTED', async (manager) => {
        pending.set(manager, committed);
        try {
          return await work(manager);
        } finally {
          pending.delete(manager);
        }
      });
      for (const action of committed) await action();
      return result;
    } catch (error) {
      if (attempt >= DEADLOCK_RETRIES || !isDeadlock(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.floor(Math.random() * 20)));
    }
  }
}

type AfterCommit = () => void | Promise<void>;
const pending = new WeakMap<EntityManager, AfterCommit[]>();

/**
 * Runs `action` once the transaction `manager` belongs to has committed (never if it rolls back), or at
 * once outside a transaction. For news about a change, such as cache invalidation, that must not be
 * heard before the change is visible.
 */
export async function afterCommit(manager: EntityManager | undefined, action: AfterCommit): Promise<void> {
  const queue = manager ? pending.get(manager) : undefined;
  if (queue) queue.push(action);
  else await action();
}

function isDeadlock(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_LOCK_DEADLOCK';
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
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager | DataSource,
  entity: EntityTarget<T>,
  rows: Partial<T> | Array<Partial<T>>,
): Promise<void> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(rows as QueryDeepPartialEntity<T>)
    .updateEntity(false)
    .execute();
}

/** Plain UPDATE … WHERE, no re-read; answers how many rows changed. */
export async function updateRows<T extends ObjectLiteral>(
  manager: EntityManager | DataSource,
  entity: EntityTarget<T>,
  set: Partial<T>,
  where: string,
  params: ObjectLiteral,
): Promise<number> {
  const result = await manager
    .createQueryBuilder()
    .update(entity)
    .set(set as QueryDeepPartialEntity<T>)
    .where(where, params)
    .updateEntity(false)
    .execute();
  return result.affected ?? 0;
}
