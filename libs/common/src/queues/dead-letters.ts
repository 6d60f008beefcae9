import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { APP_CONFIG, AppConfig } from '../config';
import { QUEUES } from './queues';

export interface DeadLetter {
  queue: string;
  job: string;
  jobId: string | null;
  data: unknown;
  reason: string;
  at: string;
}

/**
 * Jobs that can never succeed here (their transaction does not exist in this deployment's database)
 * are kept, not dropped: a job that reached the wrong deployment is evidence, and a payout must never
 * vanish. One Redis list under the queue prefix; each entry is also logged as an error.
 */
@Injectable()
export class DeadLetters {
  private readonly logger = new Logger(DeadLetters.name);
  readonly key: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
  ) {
    this.key = `${config.queuePrefix}:dead-letter`;
  }

  async keep(queue: string, job: Pick<Job, 'id' | 'name' | 'data'>, reason: string): Promise<void> {
    const entry: DeadLetter = {
      queue,
      job: job.name,
      jobId: job.id === undefined ? null : String(job.id),
      data: job.data,
      reason,
      at: new Date().toISOString(),
    };
    await this.queue.client.rpush(this.key, JSON.stringify(entry));
    this.logger.error({ queue, job: job.name, jobId: entry.jobId, data: job.data, reason, deadLetterKey: this.key }, 'job kept in the dead-letter list');
  }

  async list(limit = 100): Promise<DeadLetter[]> {
    return (await this.queue.client.lrange(this.key, 0, limit - 1)).map((raw) => JSON.parse(raw) as DeadLetter);
  }
}
