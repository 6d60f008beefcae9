import type { Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { newId } from '../ids';
import type { AppConfig } from '../config/app-config';

/** Card data, keys and secrets never reach a log line, at any depth we log. */
export const REDACT_PATHS = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'card',
  '*.card',
  '*.*.card',
  '*.*.*.card',
  'cvv',
  '*.cvv',
  '*.*.cvv',
  'number',
  '*.number',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  '*.*.apiKey',
  'secretKey',
  '*.secretKey',
  '*.*.secretKey',
  'webhookSecret',
  '*.webhookSecret',
  'accessToken',
  '*.accessToken',
  '*.pluginApiSecret',
  '*.withdrawalPrivateKey',
  '*.postbackAccessKey',
  '*.postbackPrivateKey',
  '*.testKey',
  '*.*.*.apiKey',
  '*.*.*.secretKey',
];

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * One id per request, shared by Fastify, the log lines and error bodies: the caller's X-Request-Id
 * when it is sane, a fresh one otherwise. Stored on the raw request so every layer reads the same.
 */
export function requestIdFor(req: IncomingMessage): string {
  const raw = req as IncomingMessage & { id?: string };
  if (typeof raw.id === 'string') return raw.id;
  const given = req.headers['x-request-id'];
  raw.id = typeof given === 'string' && REQUEST_ID.test(given) ? given : newId('req');
  return raw.id;
}

export function loggerOptions(config: AppConfig, name: string): Params {
  return {
    // No Nest middleware: each request's logging context is bound on Fastify's own hooks
    // (installRequestLogging), which costs far less per request than Nest's middleware layer.
    forRoutes: [],
    pinoHttp: {
      name,
      level: config.logLevel,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      transport: config.env === 'development' ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } : undefined,
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
