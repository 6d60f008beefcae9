/**
 * Per-merchant values loaded on demand and kept for `ttlMs`. An invalidation bumps the merchant's
 * generation, so a load that started before it never stores what it read.
 */
export class MerchantCache<T> {
  private readonly entries = new Map<string, { value: T; loadedAt: number }>();
  private readonly generations = new Map<string, number>();

  constructor(private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  async get(merchantId: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(merchantId);
    if (entry && this.now() - entry.loadedAt < this.ttlMs) return entry.value;
    const generation = this.generations.get(merchantId) ?? 0;
    const loadedAt = this.now();
    const value = await load();
    if ((this.generations.get(merchantId) ?? 0) === generation) this.entries.set(merchantId, { value, loadedAt });
    return value;
  }

  invalidate(merchantId: string): void {
    this.entries.delete(merchantId);
    this.generations.set(merchantId, (this.generations.get(merchantId) ?? 0) + 1);
  }
}
