import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ALL_QUEUES, QUEUES } from '@payhub/common';
import { ApplyOutcomeService, PayoutQueue, SubmitPayoutUseCase } from '@payhub/payments';
import { PayoutsProcessor } from '../apps/worker/src/payouts.processor';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { testConfig } from './support/test-config';

/** Instances of a provider class across every module of the context (Nest gives a module that re-provides a class its own). */
function instancesOf(app: INestApplicationContext, token: unknown): Set<unknown> {
  const container = (app as unknown as { container: { getModules(): Map<string, { providers: Map<unknown, { instance: unknown }> }> } }).container;
  const found = new Set<unknown>();
  for (const module of container.getModules().values()) {
    const wrapper = module.providers.get(token);
    if (wrapper?.instance) found.add(wrapper.instance);
  }
  return found;
}

describe('worker wiring', () => {
  let worker: INestApplicationContext;

  beforeAll(async () => {
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(testConfig(), { schedule: false }), { logger: false });
    await worker.init();
  });
  afterAll(async () => worker?.close());

  it('holds one instance each of the payout and outcome services, and runs the payouts processor itself', () => {
    for (const token of [ApplyOutcomeService, SubmitPayoutUseCase, PayoutQueue]) expect(instancesOf(worker, token).size).toBe(1);
    expect(instancesOf(worker, PayoutsProcessor).size).toBe(1);
  });

  it('declares no callbacks queue: callbacks are applied in the request', () => {
    expect(Object.keys(QUEUES)).not.toContain('callbacks');
    expect(ALL_QUEUES).toEqual(['payouts', 'notifications', 'status-sync', 'reports', 'maintenance']);
  });
});
