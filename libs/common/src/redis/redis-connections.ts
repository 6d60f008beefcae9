import Redis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import type { AppConfig, RedisTopology } from '../config';

/** A connection to payhub's Redis, whichever topology it runs on; both speak the same commands. */
export type RedisClient = Redis | Cluster;

/**
 * The one place that opens Redis connections: a single server (`REDIS_URL`), a Sentinel-watched
 * master (`REDIS_SENTINELS`, `REDIS_SENTINEL_NAME`; the password and db still come from `REDIS_URL`),
 * or a Cluster (`REDIS_CLUSTER_NODES`). Bull, the caches' change bus, rate limits and liveness keys all
 * come through here, so a topology change is one setting, not a hunt through the code.
 */
export function createRedis(config: Pick<AppConfig, 'redis'>, options: RedisOptions = {}): RedisClient {
  const topology = config.redis;
  const fromUrl = urlOptions(topology.url);
  switch (topology.mode) {
    case 'single':
      return new Redis(topology.url, options);
    case 'sentinel':
      return new Redis({ ...fromUrl, ...options, sentinels: topology.sentinels, name: topology.name });
    case 'cluster': {
      const { password, username } = fromUrl;
      const clusterOptions: ClusterOptions = {
        redisOptions: { password, username, ...options },
        // Commands during a resharding or failover are retried on the new owner of the slot.
        enableOfflineQueue: options.enableOfflineQueue ?? true,
        enableReadyCheck: options.enableReadyCheck ?? true,
        maxRedirections: 16,
      };
      if (options.lazyConnect) clusterOptions.lazyConnect = true;
      return new Cluster(topology.nodes, clusterOptions);
    }
  }
}

/**
 * Bull's connection settings. On one server and on Sentinel Bull opens (and closes) its connections
 * from ioredis options; on Cluster it needs `createClient`, and its blocking and subscriber connections
 * must not retry per request nor run a ready check (Bull's rule). Those it does not close itself, so
 * they are handed to `opened` for whoever closes the queues.
 */
export function bullConnection(
  config: Pick<AppConfig, 'redis'>,
  opened: RedisClient[],
): { url: string } | { redis: RedisOptions } | { createClient: (type: 'client' | 'subscriber' | 'bclient') => RedisClient } {
  const topology = config.redis;
  if (topology.mode === 'single') return { url: topology.url };
  if (topology.mode === 'sentinel') return { redis: { ...urlOptions(topology.url), sentinels: topology.sentinels, name: topology.name } };
  let shared: RedisClient | undefined;
  return {
    createClient: (type) => {
      if (type === 'client') return (shared ??= remember(createRedis(config), opened));
      return remember(createRedis(config, { maxRetriesPerRequest: null, enableReadyCheck: false }), opened);
    },
  };
}

function remember(client: RedisClient, opened: RedisClient[]): RedisClient {
  opened.push(client);
  return client;
}

export function describeRedis(topology: RedisTopology): string {
  switch (topology.mode) {
    case 'single':
      return topology.url.replace(/\/\/[^@]*@/, '//***@');
    case 'sentinel':
      return `sentinel ${topology.name} via ${topology.sentinels.map((s) => `${s.host}:${s.port}`).join(',')}`;
    case 'cluster':
      return `cluster via ${topology.nodes.map((s) => `${s.host}:${s.port}`).join(',')}`;
  }
}

function urlOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = Number(parsed.pathname.slice(1) || 0);
  return {
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}
