import { ConfigError, loadConfig } from '../config';
import { queuePrefixFor } from '../queues/queue-prefix';

const base = { NODE_ENV: 'test', PAYHUB_SECRET_KEY: 'a'.repeat(64), DATABASE_URL: 'mysql://root@127.0.0.1:3306/shop' } as const;

describe('Redis topology and database replicas from the environment', () => {
  it('is a single server by default, Sentinel with REDIS_SENTINELS, Cluster with REDIS_CLUSTER_NODES', () => {
    expect(loadConfig({ ...base }).redis).toEqual({ mode: 'single', url: 'redis://127.0.0.1:6379' });
    expect(loadConfig({ ...base, REDIS_SENTINELS: 's1:26379, s2:26380', REDIS_SENTINEL_NAME: 'mymaster' }).redis).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      name: 'mymaster',
      url: 'redis://127.0.0.1:6379',
    });
    expect(loadConfig({ ...base, REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7001' }).redis).toMatchObject({
      mode: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
    });
  });

  it('refuses Sentinel without a master name, Sentinel and Cluster together, and malformed lists', () => {
    expect(() => loadConfig({ ...base, REDIS_SENTINELS: 's1:26379' })).toThrow(/REDIS_SENTINEL_NAME is required/);
    expect(() => loadConfig({ ...base, REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'n:7000' })).toThrow(/exclude each other/);
    expect(() => loadConfig({ ...base, REDIS_CLUSTER_NODES: 'n1' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, DATABASE_REPLICA_URLS: 'postgres://x/y' })).toThrow(/DATABASE_REPLICA_URLS/);
  });

  it('hash-tags the queue prefix on Cluster only, the derived one and a given one alike', () => {
    expect(loadConfig({ ...base }).queuePrefix).toBe('payhub:shop');
    expect(loadConfig({ ...base, REDIS_CLUSTER_NODES: 'n:7000' }).queuePrefix).toBe('{payhub:shop}');
    expect(loadConfig({ ...base, REDIS_CLUSTER_NODES: 'n:7000', QUEUE_PREFIX: 'staging' }).queuePrefix).toBe('{staging}');
    expect(queuePrefixFor('shop', 'eu:{payhub}', true)).toBe('eu:{payhub}');
  });

  it('parses replica URLs into connection settings', () => {
    expect(loadConfig({ ...base, DATABASE_REPLICA_URLS: 'mysql://ro:p%40ss@r1:3307/shop, mysql://ro@r2/shop' }).databaseReplicas).toEqual([
      { host: 'r1', port: 3307, user: 'ro', password: 'p@ss', name: 'shop' },
      { host: 'r2', port: 3306, user: 'ro', password: '', name: 'shop' },
    ]);
    expect(loadConfig({ ...base }).databaseReplicas).toEqual([]);
  });
});
