import { PerKeyLimiter } from './per-key-limiter';

describe('PerKeyLimiter', () => {
  it('runs at most the limit per key at once, other keys unaffected, every call in the end', async () => {
    const limiter = new PerKeyLimiter(3);
    const peak = new Map<string, number>();
    const now = new Map<string, number>();
    const call = (key: string, ms: number) =>
      limiter.run(key, async () => {
        now.set(key, (now.get(key) ?? 0) + 1);
        peak.set(key, Math.max(peak.get(key) ?? 0, now.get(key)!));
        await new Promise((r) => setTimeout(r, ms));
        now.set(key, now.get(key)! - 1);
        return key;
      });
    const slow = Array.from({ length: 10 }, () => call('slowpay', 30));
    const fastStarted = Date.now();
    const fast = await Promise.all(Array.from({ length: 3 }, () => call('fastpay', 1)));
    expect(Date.now() - fastStarted).toBeLessThan(25);
    expect(fast).toEqual(['fastpay', 'fastpay', 'fastpay']);
    expect(await Promise.all(slow)).toHaveLength(10);
    expect(peak.get('slowpay')).toBe(3);
    expect(limiter.inFlight('slowpay')).toBe(0);
  });
});
