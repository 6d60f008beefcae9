import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bull';
import { ALL_QUEUES, startSpan, SpanHandle, tracingActive } from '@payhub/common';

/**
 * With tracing on, every Bull job this process runs is a span (queue, job name, transaction id),
 * opened when the job turns active and closed when it completes or fails. Without tracing: nothing.
 */
@Injectable()
export class JobTracing implements OnApplicationBootstrap {
  private readonly open = new Map<string, SpanHandle>();

  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationBootstrap(): void {
    if (!tracingActive()) return;
    for (const name of ALL_QUEUES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      const key = (job: Job) => `${name}:${job.id}`;
      queue.on('active', (job: Job) => {
        const data = (job.data ?? {}) as { transactionId?: string; txId?: string };
        this.open.set(
          key(job),
          startSpan(`job ${name} ${job.name}`, {
            'payhub.queue': name,
            'payhub.job': job.name,
            'payhub.job_id': String(job.id),
            'payhub.transaction_id': data.transactionId ?? data.txId,
          }),
        );
      });
      const close = (job: Job, error?: Error) => {
        this.open.get(key(job))?.end(error);
        this.open.delete(key(job));
      };
      queue.on('completed', (job: Job) => close(job));
      queue.on('failed', (job: Job, error: Error) => close(job, error));
    }
  }
}
