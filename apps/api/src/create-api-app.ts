import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppConfig, installRequestLogging, requestIdFor } from '@payhub/common';
import { ApiModule } from './api.module';
import { serveConsole } from './console-static';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the HTTP app exactly as production runs it; tests call this too. */
export async function createApiApp(config: AppConfig, extraModules: Array<Type | DynamicModule> = []): Promise<NestFastifyApplication> {
  // X-Forwarded-For is believed only from the proxies TRUST_PROXY names; by default the socket is the client.
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: config.trustProxy.length ? config.trustProxy : false, genReqId: requestIdFor });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config, extraModules), adapter, {
    bufferLogs: true,
    rawBody: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  installRequestLogging(fastify, await app.resolve(PinoLogger));
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // PaymentIQ XML provider configs arrive as text and are parsed by the provider-config module.
  fastify.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body));

  await serveConsole(fastify);

  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('payhub')
    .setDescription('Merchant API (/v1, X-API-Key), back office (/backoffice, Bearer session token), provider callbacks (/callbacks)')
    .setVersion('1')
    .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'api-key')
    .addBearerAuth()
    .build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
