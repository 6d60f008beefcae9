import { AppConfig, claimQueuePrefix, ConfigError, createRedis, loadConfig, QueuePrefixTakenError } from '@payhub/common';
import { describeConnectionError, ensureDatabase } from '@payhub/database';

/**
 * Validates the environment and reaches MySQL and Redis before anything boots, so a newcomer reads
 * one sentence that says what is wrong and how to fix it instead of a stack trace.
 */
export async function preflight(name: string, options: { createDatabase?: boolean } = {}): Promise<AppConfig> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(name, error.message);
    throw error;
  }
  const where = `${config.database.host}:${config.database.port}`;
  try {
    if (options.createDatabase !== false) await ensureDatabase(config);
  } catch (error) {
    fail(name, describeConnectionError(error, 'MySQL', where) ?? `MySQL at ${where}: ${(error as Error).message}`);
  }
  const redis = createRedis(config, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  // ioredis reports the socket error (with its code) on the event, and only "Connection is closed" on connect().
  let socketError: unknown = null;
  redis.on('error', (error) => {
    socketError ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
    await claimQueuePrefix(redis, config);
  } catch (error) {
    if (error instanceof QueuePrefixTakenError) fail(name, error.message);
    const url = new URL(config.redisUrl);
    const cause = socketError ?? error;
    fail(name, describeConnectionError(cause, 'Redis', `${url.hostname}:${url.port || 6379}`) ?? `Redis at ${config.redisUrl}: ${(cause as Error).message}`);
  } finally {
    redis.disconnect();
  }
  return config;
}

function fail(name: string, message: string): never {
  console.error(`payhub ${name} cannot start: ${message}`);
  process.exit(1);
}
