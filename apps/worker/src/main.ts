import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { preflight } from '../../shared/preflight';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = await preflight('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  console.log('payhub worker running (queues on', config.redisUrl, ')');
}

void main();
