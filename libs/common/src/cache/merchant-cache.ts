/**
 * Values loaded on demand per key (a merchant id, an API key hash) and kept for `ttlMs`.
 * - Concurrent misses for one key share one load: when an entry expires under load, one query goes
 *   out, not one per request in flight.
 * - An invalidation bumps the key's generation, so a load that started before it never stores what it
 *   read, and later callers do not join it.
 */
export class MerchantCache<T> {
  private readonly entries = new Map<string, { value: T; loadedAt: number }>();
  private readonly generations = new Map<string, number>();
  private readonly loading = new Map<string, { generation: number; promise: Promise<T> }>();

  /** `keep`: which loaded values are worth remembering (e.g. not a lookup that found nothing). */
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly keep: (value: T) => boolean = () => true,
  ) {}

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.loadedAt < this.ttlMs) return entry.value;
    const generation = this.generations.get(key) ?? 0;
    const inFlight = this.loading.get(key);
    if (inFlight && inFlight.generation === generation) return inFlight.promise;

    const loadedAt = this.now();
    const promise = load().then((value) => {
      if ((this.generations.get(key) ?? 0) === generation && this.keep(value)) this.entries.set(key, { value, loadedAt });
      return value;
    });
    this.loading.set(key, { generation, promise });
    try {
      return await promise;
    } finally {
      if (this.loading.get(key)?.promise === promise) this.loading.delete(key);
    }
  }

  invalidate(key: string): void {
    this.entries.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }

  /** Invalidates every key whose cached value matches (e.g. all API keys of one merchant). */
  invalidateWhere(predicate: (value: T) => boolean): void {
    for (const [key, entry] of this.entries) if (predicate(entry.value)) this.invalidate(key);
    // A load in flight may be for a matching value: none of them may store.
    for (const key of this.loading.keys()) this.invalidate(key);
  }

  /** Drops entries past their TTL, so a cache keyed by something unbounded stays small. */
  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (now - entry.loadedAt >= this.ttlMs) this.entries.delete(key);
    for (const key of this.generations.keys()) if (!this.entries.has(key) && !this.loading.has(key)) this.generations.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
