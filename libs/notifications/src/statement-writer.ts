import { Logger } from '@nestjs/common';
import type { BatchStatement, SqlBatch } from '@payhub/database';

const FLUSH_AT_STATEMENTS = 400;
const FLUSH_AFTER_MS = 5;

/**
 * Writes delivery results behind the HTTP calls: statements from many lanes are gathered for a few
 * milliseconds and committed in one DB transaction, one flush at a time, so a lane's release is never
 * committed before the results written ahead of it. A failed flush loses only bookkeeping: the
 * deliveries stay pending and are sent again once the lease runs out (at least once, as documented).
 */
export class StatementWriter {
  private readonly logger = new Logger(StatementWriter.name);
  private queue: Array<{ statements: BatchStatement[]; done: () => void }> = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly batch: SqlBatch) {}

  /** Resolves once the statements are committed (or their flush failed and was logged). */
  write(statements: BatchStatement[]): Promise<void> {
    return new Promise((done) => {
      this.queue.push({ statements, done });
      if (this.queue.reduce((n, q) => n + q.statements.length, 0) >= FLUSH_AT_STATEMENTS) this.kick();
      else this.timer ??= setTimeout(() => this.kick(), FLUSH_AFTER_MS);
    });
  }

  async drain(): Promise<void> {
    while (this.queue.length || this.flushing) {
      this.kick();
      await this.flushing;
    }
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.flushing || !this.queue.length) return;
    const taken = this.queue;
    this.queue = [];
    this.flushing = this.batch
      .transaction(taken.flatMap((q) => q.statements))
      .then(
        () => undefined,
        (error: Error) =>
          this.logger.error({ error: error.message, statements: taken.length }, 'webhook results could not be written; the deliveries stay pending'),
      )
      .finally(() => {
        for (const q of taken) q.done();
        this.flushing = null;
        if (this.queue.length) this.kick();
      });
  }
}
