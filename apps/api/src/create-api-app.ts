import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger, PinoLogger } from 'nestjs-pino';
import {
  AppConfig,
  installBodyDepthLimit,
  installHttpObservability,
  installJsonBodiesOnly,
  installRequestLogging,
  installRouteTable,
  MetricsService,
  requestIdFor,
} from '@payhub/common';
import { ApiModule } from './api.module';
import { buildOpenApiDocument } from './openapi/openapi-document';
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
  installBodyDepthLimit(fastify);
  installHttpObservability(fastify, app.get(MetricsService));
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  installRouteTable(fastify);
  installJsonBodiesOnly(fastify, {
    paths: [/^\/v1\//, /^\/backoffice\//],
    alsoAccept: [{ path: /^\/backoffice\/merchants\/[^/]+\/providers\/[^/]+\/config$/, types: ['application/xml', 'text/xml'] }],
  });
  // PaymentIQ XML provider configs arrive as text and are parsed by the provider-config module.
  fastify.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body));

  await serveConsole(fastify);

  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
