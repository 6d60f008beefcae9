import { MerchantCache } from '@payhub/common';

describe('MerchantCache', () => {
  it('serves from memory within the TTL and reloads after it', async () => {
    let now = 0;
    let loads = 0;
    const cache = new MerchantCache<number>(1000, () => now);
    const load = async () => ++loads;
    expect(await cache.get('m1', load)).toBe(1);
    now = 999;
    expect(await cache.get('m1', load)).toBe(1);
    now = 1000;
    expect(await cache.get('m1', load)).toBe(2);
  });

  it('never stores a value loaded across an invalidation', async () => {
    const cache = new MerchantCache<string>(60000);
    let release!: (v: string) => void;
    const slow = cache.get(
      'm1',
      () =>
        new Promise<string>((r) => {
          release = r;
        }),
    );
    cache.invalidate('m1');
    release('stale');
    expect(await slow).toBe('stale');
    expect(await cache.get('m1', async () => 'fresh')).toBe('fresh');
  });

  it('shares one load among concurrent misses, so an expiry under load sends one query', async () => {
    let now = 0;
    let loads = 0;
    const cache = new MerchantCache<number>(1000, () => now);
    const load = () => new Promise<number>((r) => setTimeout(() => r(++loads), 10));
    expect(await Promise.all(Array.from({ length: 20 }, () => cache.get('m1', load)))).toEqual(Array(20).fill(1));
    now = 1000;
    expect(await Promise.all(Array.from({ length: 20 }, () => cache.get('m1', load)))).toEqual(Array(20).fill(2));
    expect(loads).toBe(2);
  });

  it('hands a failed load to everyone waiting on it and remembers nothing', async () => {
    const cache = new MerchantCache<number>(1000);
    let calls = 0;
    const failing = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      throw new Error('db down');
    };
    const results = await Promise.allSettled([cache.get('m1', failing), cache.get('m1', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    expect(await cache.get('m1', async () => 7)).toBe(7);
  });

  it('does not join a load that started before an invalidation', async () => {
    const cache = new MerchantCache<string>(60000);
    let release!: (v: string) => void;
    const slow = cache.get(
      'm1',
      () =>
        new Promise<string>((r) => {
          release = r;
        }),
    );
    cache.invalidate('m1');
    const fresh = cache.get('m1', async () => 'fresh');
    release('stale');
    expect(await slow).toBe('stale');
    expect(await fresh).toBe('fresh');
  });

  it('keeps only what `keep` accepts', async () => {
    const cache = new MerchantCache<string | null>(60000, Date.now, (v) => v !== null);
    let loads = 0;
    expect(
      await cache.get('k', async () => {
        loads++;
        return null;
      }),
    ).toBeNull();
    expect(
      await cache.get('k', async () => {
        loads++;
        return null;
      }),
    ).toBeNull();
    expect(loads).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('invalidates by value, and sweeps expired entries away', async () => {
    let now = 0;
    const cache = new MerchantCache<{ merchant: string }>(1000, () => now);
    await cache.get('key-a', async () => ({ merchant: 'm1' }));
    await cache.get('key-b', async () => ({ merchant: 'm1' }));
    await cache.get('key-c', async () => ({ merchant: 'm2' }));
    cache.invalidateWhere((v) => v.merchant === 'm1');
    expect(cache.size).toBe(1);
    expect(await cache.get('key-a', async () => ({ merchant: 'reloaded' }))).toEqual({ merchant: 'reloaded' });
    now = 5000;
    cache.sweep();
    expect(cache.size).toBe(0);
  });
});
