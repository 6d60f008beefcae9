import { getQueueToken } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, JobStatus, Queue } from 'bull';
import { ALL_QUEUES, DomainError, ErrorCode, QueueName } from '@payhub/common';

export const LISTED_JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
export type ListedJobState = (typeof LISTED_JOB_STATES)[number];

export interface QueueSummary {
  name: QueueName;
  paused: boolean;
  counts: Record<ListedJobState, number>;
}

export interface JobView {
  id: string;
  queue: QueueName;
  name: string;
  state: string;
  data: unknown;
  attemptsMade: number;
  attempts: number | null;
  failedReason: string | null;
  /** The last error's first lines; the full traces stay in Redis and the worker's log. */
  stacktrace: string | null;
  createdAt: string;
  processedAt: string | null;
  finishedAt: string | null;
  delayMs: number;
}

/**
 * The back office's view of the Bull queues: depth per state, the jobs in a state, and the two
 * repairs an admin makes by hand: retry a failed job, remove a job that should never run. Callers audit.
 */
@Injectable()
export class QueueAdminService {
  constructor(private readonly moduleRef: ModuleRef) {}

  async summaries(): Promise<QueueSummary[]> {
    return Promise.all(
      ALL_QUEUES.map(async (name) => {
        const queue = this.queue(name);
        const [counts, paused] = await Promise.all([queue.getJobCounts(), queue.isPaused()]);
        return { name, paused, counts: Object.fromEntries(LISTED_JOB_STATES.map((s) => [s, counts[s] ?? 0])) as Record<ListedJobState, number> };
      }),
    );
  }

  /** Newest first for finished states, oldest first (next to run) for the others. */
  async jobs(name: string, state: ListedJobState, limit: number, offset: number): Promise<{ data: JobView[]; hasMore: boolean; nextCursor: string | null }> {
    const queue = this.queue(name);
    const ascending = state === 'waiting' || state === 'delayed' || state === 'active';
    const jobs = (await queue.getJobs([state as JobStatus], offset, offset + limit, ascending)).filter(Boolean);
    const hasMore = jobs.length > limit;
    const page = jobs.slice(0, limit);
    return { data: await Promise.all(page.map((job) => present(job, name as QueueName))), hasMore, nextCursor: hasMore ? String(offset + limit) : null };
  }

  async job(name: string, id: string): Promise<JobView> {
    return present(await this.find(name, id), name as QueueName);
  }

  /** Only a failed job is retried: anything else is still going to run (or ran). */
  async retry(name: string, id: string): Promise<{ before: JobView; after: JobView }> {
    const job = await this.find(name, id);
    const before = await present(job, name as QueueName);
    if (before.state !== 'failed') throw new DomainError(ErrorCode.QUEUE_JOB_STATE, `Job ${id} is ${before.state}; only a failed job can be retried`);
    await job.retry();
    return { before, after: await this.job(name, id) };
  }

  /** An active job is held by a worker right now and is left to finish or fail. */
  async remove(name: string, id: string): Promise<{ before: JobView }> {
    const job = await this.find(name, id);
    const before = await present(job, name as QueueName);
    if (before.state === 'active') throw new DomainError(ErrorCode.QUEUE_JOB_STATE, `Job ${id} is running; wait until it finishes or fails`);
    await job.remove();
    return { before };
  }

  private async find(name: string, id: string): Promise<Job> {
    const job = await this.queue(name).getJob(id);
    if (!job) throw new DomainError(ErrorCode.QUEUE_JOB_NOT_FOUND, `Queue ${name} holds no job ${id}`);
    return job;
  }

  private queue(name: string): Queue {
    if (!(ALL_QUEUES as string[]).includes(name))
      throw new DomainError(ErrorCode.QUEUE_NOT_FOUND, `There is no queue ${name}; queues: ${ALL_QUEUES.join(', ')}`);
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }
}

async function present(job: Job, queue: QueueName): Promise<JobView> {
  const stack = job.stacktrace?.[job.stacktrace.length - 1] ?? null;
  return {
    id: String(job.id),
    queue,
    name: job.name,
    state: await job.getState(),
    data: job.data,
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? null,
    failedReason: job.failedReason ?? null,
    stacktrace: stack ? stack.split('\n').slice(0, 5).join('\n') : null,
    createdAt: new Date(job.timestamp).toISOString(),
    processedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    delayMs: job.opts.delay ?? 0,
  };
}
