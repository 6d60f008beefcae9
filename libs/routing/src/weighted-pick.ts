import { hash } from 'node:crypto';

/** Maps a key onto [0, size) by the first 8 bytes of its SHA-256; the modulo bias is at most size/2^64. */
export function hashBucket(key: string, size: number): number {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`bucket count must be a positive integer, got ${size}`);
  const head = hash('sha256', key, 'buffer').readBigUInt64BE(0);
  return Number(head % BigInt(size));
}

export interface WeightedChoice<T> {
  item: T;
  totalWeight: number;
}

/** Deterministic per key: the same key over the same items always picks the same item. */
export function weightedPick<T extends { weight: number }>(items: readonly T[], key: string): WeightedChoice<T> {
  if (items.length === 0) throw new RangeError('cannot pick from no items');
  const totalWeight = items.reduce((sum, item) => {
    if (!Number.isSafeInteger(item.weight) || item.weight < 1) throw new RangeError(`weights must be positive integers, got ${item.weight}`);
    return sum + item.weight;
  }, 0);
  // One item takes every bucket: no hash needed to know the pick.
  if (items.length === 1) return { item: items[0], totalWeight };
  let bucket = hashBucket(key, totalWeight);
  for (const item of items) {
    if (bucket < item.weight) return { item, totalWeight };
    bucket -= item.weight;
  }
  throw new Error('unreachable: bucket is below the total weight');
}
