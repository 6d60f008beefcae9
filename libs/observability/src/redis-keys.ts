import type { AppConfig } from '@payhub/common';

/** Keys beside the queues under the queue prefix, so they share its Redis (and its Cluster hash tag). */
export const observabilityKeys = (config: Pick<AppConfig, 'queuePrefix'>) => ({
  /** Sorted set: member = worker instance, score = time of its last heartbeat (epoch ms). */
  workerHeartbeats: `${config.queuePrefix}:workers:heartbeat`,
  /** Lease of the process that computes the database-derived gauges. */
  gaugeLease: `${config.queuePrefix}:metrics:gauge-lease`,
});
