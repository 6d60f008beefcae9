/** At most `limit` calls in flight per key (a provider); the rest wait their turn in arrival order. */
export class PerKeyLimiter {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(private readonly limit: number) {}

  async run<T>(key: string | null, work: () => Promise<T>): Promise<T> {
    const k = key ?? '';
    if ((this.running.get(k) ?? 0) >= this.limit) {
      // The slot is handed over by the call that ends, never taken back in between.
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(k);
        if (queue) queue.push(resolve);
        else this.waiting.set(k, [resolve]);
      });
    } else {
      this.running.set(k, (this.running.get(k) ?? 0) + 1);
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.get(k)?.shift();
      if (next) next();
      else this.running.set(k, (this.running.get(k) ?? 1) - 1);
    }
  }

  inFlight(key: string): number {
    return this.running.get(key) ?? 0;
  }
}
