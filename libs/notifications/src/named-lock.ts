import type { DataSource } from 'typeorm';

export interface NamedLock {
  release(): Promise<void>;
}

/**
 * A MySQL named lock (GET_LOCK) held on a connection of its own. The server frees it the moment that
 * connection dies, so a worker killed mid-delivery never leaves a lock behind to wait out.
 * Answers null when another session holds it.
 */
export async function tryNamedLock(dataSource: DataSource, name: string): Promise<NamedLock | null> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [row] = await runner.query('SELECT GET_LOCK(?, 0) AS got', [name]);
    if (Number(row?.got) !== 1) {
      await runner.release();
      return null;
    }
  } catch (error) {
    await runner.release();
    throw error;
  }
  return {
    release: async () => {
      try {
        await runner.query('SELECT RELEASE_LOCK(?)', [name]);
      } finally {
        await runner.release();
      }
    },
  };
}
