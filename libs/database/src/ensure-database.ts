import { createConnection } from 'mysql2/promise';
import type { AppConfig } from '@payhub/common';

/** Creates the database named in DATABASE_URL when it does not exist yet. */
export async function ensureDatabase(config: Pick<AppConfig, 'database'>): Promise<void> {
  const { host, port, user, password, name } = config.database;
  const connection = await createConnection({ host, port, user, password, connectTimeout: 5000 });
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
}

/** Turns a connection failure into one sentence that says what, where and how to fix it. */
export function describeConnectionError(error: unknown, what: 'MySQL' | 'Redis', where: string): string | null {
  const code = (error as { code?: string } | null)?.code;
  const hints: Record<'MySQL' | 'Redis', string> = {
    MySQL: 'start it (e.g. `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`, or `docker compose up -d mysql`) or set DATABASE_URL',
    Redis: 'start it (e.g. `redis-server --daemonize yes`, or `docker compose up -d redis`) or set REDIS_URL',
  };
  if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND') {
    return `${what} is not reachable at ${where} (${code}): ${hints[what]}.`;
  }
  if (code === 'ER_ACCESS_DENIED_ERROR') return `${what} at ${where} refused the credentials in DATABASE_URL.`;
  return null;
}
