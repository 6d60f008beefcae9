import './tracing';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { describeRedis } from '@payhub/common';
import { WorkerMetricsServer } from '@payhub/observability';
import { preflight } from '../../shared/preflight';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = await preflight('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, { serveMetrics: true }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  const metricsUrl = app.get(WorkerMetricsServer).url;
  console.log(`payhub worker running (queues on ${describeRedis(config.redis)}${metricsUrl ? `, metrics at ${metricsUrl}` : ''})`);
}

void main();
