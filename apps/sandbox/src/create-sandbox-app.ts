import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { KashaSandboxState, kashaRoutedUrl } from './kasha/kasha-sandbox.state';
import { SandboxModule } from './sandbox.module';

/** The provider simulators as one HTTP server; tests start it on a free port. */
export async function createSandboxApp(options: { logger?: boolean } = {}): Promise<NestFastifyApplication> {
  // Routes are fixed at boot; the Kasha `paths` reading renames some at run time, so URLs are mapped first.
  let route = (url: string): string => url;
  const adapter = new FastifyAdapter({ bodyLimit: 1024 * 1024, rewriteUrl: (req: { url?: string }) => route(req.url ?? '/') });
  const app = await NestFactory.create<NestFastifyApplication>(SandboxModule, adapter, {
    logger: options.logger === false ? false : ['error', 'warn'],
    rawBody: true,
  });
  const kasha = app.get(KashaSandboxState);
  route = (url) => kashaRoutedUrl(kasha.readings, url);
  return app;
}
