import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '@payhub/common';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { TestProviderModule } from './test-provider';

/** The worker as production builds it, plus the payouts processor and the test providers; no timers. */
export async function startPayoutWorker(config: AppConfig): Promise<INestApplicationContext> {
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, { schedule: false, extraModules: [TestProviderModule] }), {
    logger: false,
    abortOnError: false,
  });
  await worker.init();
  return worker;
}
