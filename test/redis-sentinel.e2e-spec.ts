import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { ConfigChangeBus, QUEUES } from '@payhub/common';
import { Topology } from './support/scale-topology';
import { TestApp } from './support/test-app';
import { waitFor } from './support/webhook-endpoint';

/**
 * REDIS_SENTINELS / REDIS_SENTINEL_NAME: every Redis connection finds its master through Sentinel. REDIS_URL
 * points at a port where nothing listens, so anything that still used it would fail.
 */
describe('Redis through Sentinel', () => {
  const topology = new Topology();
  let t: TestApp;
  let other: TestApp;
  let master: string;

  beforeAll(async () => {
    const redis = await topology.redisSentinel();
    master = redis.master;
    const env = {
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_SENTINELS: redis.sentinel,
      REDIS_SENTINEL_NAME: 'payhub',
      RATE_LIMIT_API_KEY_PER_S: '3',
      QUEUE_PREFIX: `payhub-sentinel-${Date.now()}`,
    };
    t = await TestApp.start({ env });
    other = await TestApp.start({ env });
  }, 60000);
  afterAll(async () => {
    await other?.close();
    await t?.close();
    await topology.close();
  });

  it('runs Bull queues, rate limits and the change bus on the master Sentinel names', async () => {
    const merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
    const answers = await Promise.all(Array.from({ length: 8 }, () => merchant.api.get('/v1/transactions?limit=1')));
    expect(answers.filter((r) => r.status === 429).length).toBeGreaterThan(0);

    const queue = t.app.get<Queue>(getQueueToken(QUEUES.maintenance));
    const job = await queue.add('sentinel-probe', {}, { delay: 60000, jobId: `sentinel-probe-${Date.now()}` });
    expect(await queue.getJob(String(job.id))).not.toBeNull();

    // The other process hears the change over pub/sub.
    const heard: string[] = [];
    other.app.get(ConfigChangeBus).onChange((merchantId) => heard.push(merchantId));
    await t.app.get(ConfigChangeBus).changed(merchant.id);
    await waitFor(async () => heard.includes(merchant.id), 5000, 'the change announced');

    const keys = await topology.redisKeys([master]);
    expect(keys.some((k) => k.startsWith(`${t.config.queuePrefix}:rl:`))).toBe(true);
    expect(keys).toContain(`${t.config.queuePrefix}:${QUEUES.maintenance}:${job.id}`);
  });
});
