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
    const slow = cache.get('m1', () => new Promise<string>((r) => { release = r; }));
    cache.invalidate('m1');
    release('stale');
    expect(await slow).toBe('stale');
    expect(await cache.get('m1', async () => 'fresh')).toBe('fresh');
  });
});
