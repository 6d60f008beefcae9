import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SandboxModule } from './sandbox.module';

/** The provider simulators as one HTTP server; tests start it on a free port. */
export async function createSandboxApp(options: { logger?: boolean } = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(SandboxModule, new FastifyAdapter({ bodyLimit: 1024 * 1024 }), {
    logger: options.logger === false ? false : ['error', 'warn'],
    rawBody: true,
  });
  return app;
}
