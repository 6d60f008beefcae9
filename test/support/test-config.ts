import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '@payhub/common';
import { testDatabaseUrl } from './test-database';

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    PAYHUB_SECRET_KEY: 'a'.repeat(64),
    QUEUE_PREFIX: `payhub-test-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PROVIDER_TIMEOUT_MS: '2000',
    ...overrides,
  });
}
