import type { Cluster, Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';

/** The part of the config a deployment is named by (structural, so this file needs nothing of config). */
interface DeploymentConfig {
  database: { name: string; host: string; port: number; user: string; password: string };
  queuePrefix: string;
}

/**
 * The one place the queue prefix is derived: by default one deployment per database, so staging and
 * production sharing a Redis never share queues. On Redis Cluster the prefix is hash-tagged
 * (`{payhub:<database>}`, or `{<QUEUE_PREFIX>}`): only the part in braces is hashed, so every key of
 * every queue lands on one slot, as Bull's multi-key Lua scripts require. A prefix that already holds
 * a `{tag}` is kept as given.
 */
export function queuePrefixFor(databaseName: string, given: string | undefined, cluster: boolean): string {
  const prefix = given ?? defaultQueuePrefix(databaseName);
  return cluster && !/\{[^{}]+\}/.test(prefix) ? `{${prefix}}` : prefix;
}

export function defaultQueuePrefix(databaseName: string): string {
  return `payhub:${databaseName}`;
}

/**
 * How a deployment names its database in Redis and in error messages: `<database>@<host>:<port>` as the
 * server itself reports them (`@@hostname`, `@@port`), so processes reaching one server by different
 * addresses (a proxy, a name and an IP) are one deployment, and two servers are never taken for one.
 */
export async function databaseIdentity(config: Pick<DeploymentConfig, 'database'>): Promise<string> {
  const { name, host, port, user, password } = config.database;
  const connection = await createConnection({ host, port, user, password, connectTimeout: 5000 });
  try {
    const [rows] = await connection.query('SELECT @@hostname AS host, @@port AS port');
    const server = (rows as Array<{ host: string; port: number }>)[0];
    return `${name}@${server.host}:${server.port}`;
  } finally {
    await connection.end();
  }
}

/** The Redis key under the prefix that says which database the prefix's queues belong to. */
export function deploymentKey(prefix: string): string {
  return `${prefix}:deployment`;
}

export class QueuePrefixTakenError extends Error {
  constructor(
    readonly prefix: string,
    readonly owner: string,
    readonly mine: string,
  ) {
    super(
      `queue prefix "${prefix}" in Redis belongs to database ${owner}, but this process runs on database ${mine}; ` +
        'give this deployment its own QUEUE_PREFIX (or leave it unset: the default is derived from the database)',
    );
    this.name = 'QueuePrefixTakenError';
  }
}

/**
 * Records this process's database under the queue prefix (first come keeps it), and refuses when the
 * prefix already belongs to another database: two deployments on one prefix take each other's jobs.
 */
export async function claimQueuePrefix(redis: Redis | Cluster, config: DeploymentConfig): Promise<void> {
  const mine = await databaseIdentity(config);
  const key = deploymentKey(config.queuePrefix);
  await redis.set(key, mine, 'NX');
  const owner = await redis.get(key);
  if (owner !== mine) throw new QueuePrefixTakenError(config.queuePrefix, owner ?? '(unknown)', mine);
}
