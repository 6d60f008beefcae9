import { randomUUID } from 'node:crypto';
import { hashBucket, weightedPick } from '@payhub/routing';

const split = (weights: number[], draws: number): number[] => {
  const items = weights.map((weight, index) => ({ index, weight }));
  const counts = weights.map(() => 0);
  for (let i = 0; i < draws; i++) counts[weightedPick(items, `tx_${randomUUID()}`).item.index] += 1;
  return counts.map((count) => count / draws);
};

describe('weightedPick', () => {
  it('splits 10,000 random tx ids 70/30 within ±2%', () => {
    const [first, second] = split([70, 30], 10_000);
    expect(Math.abs(first - 0.7)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(second - 0.3)).toBeLessThanOrEqual(0.02);
  });

  it('splits 10,000 random tx ids 50/30/15/5 within ±2%', () => {
    const shares = split([5000, 3000, 1500, 500], 10_000);
    [0.5, 0.3, 0.15, 0.05].forEach((expected, i) => expect(Math.abs(shares[i] - expected)).toBeLessThanOrEqual(0.02));
  });

  it('picks the same item for the same tx id every time', () => {
    const items = [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
      { id: 'c', weight: 1 },
    ];
    for (let i = 0; i < 50; i++) {
      const txId = `tx_${randomUUID()}`;
      const first = weightedPick(items, txId).item.id;
      expect(weightedPick([...items], txId).item.id).toBe(first);
    }
  });

  it('always picks the only item and reports the total weight', () => {
    expect(weightedPick([{ weight: 7 }], 'tx_1')).toEqual({ item: { weight: 7 }, totalWeight: 7 });
  });

  it('maps buckets onto items in list order, boundaries included', () => {
    const items = [
      { id: 'a', weight: 2 },
      { id: 'b', weight: 3 },
    ];
    const idFor = (bucket: number) => Array.from({ length: 1000 }, (_, i) => `tx_${i}`).find((id) => hashBucket(id, 5) === bucket)!;
    expect([0, 1, 2, 3, 4].map((bucket) => weightedPick(items, idFor(bucket)).item.id)).toEqual(['a', 'a', 'b', 'b', 'b']);
  });

  it('picks a single item for every key, whatever its weight, as the hash would', () => {
    const only = { weight: 7, name: 'only' };
    for (const key of ['tx_1', 'tx_2', '', 'é']) {
      expect(hashBucket(key, 7)).toBeLessThan(7);
      expect(weightedPick([only], key)).toEqual({ item: only, totalWeight: 7 });
    }
  });

  it('refuses no items and non-positive weights', () => {
    expect(() => weightedPick([], 'tx_1')).toThrow(RangeError);
    expect(() => weightedPick([{ weight: 0 }], 'tx_1')).toThrow(RangeError);
    expect(() => weightedPick([{ weight: 1.5 }], 'tx_1')).toThrow(RangeError);
  });
});

describe('hashBucket', () => {
  it('is the first 8 bytes of SHA-256 modulo the count, pinned so a change cannot silently reroute retries', () => {
    // sha256("tx_1") begins 58f51b4f2d5ccab8; 0x58f51b4f2d5ccab8 % 1_000_000 = 191352, % 100 = 52.
    expect(hashBucket('tx_1', 1_000_000)).toBe(191352);
    expect(hashBucket('tx_1', 100)).toBe(52);
    expect(hashBucket('tx_1', 1)).toBe(0);
  });

  it('refuses a non-positive bucket count', () => {
    expect(() => hashBucket('tx_1', 0)).toThrow(RangeError);
  });
});
