import type { INestApplication } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_HTTP_STATUS, ErrorCode } from '@payhub/common';
import { WEBHOOK_EVENT_TYPES } from '@payhub/transactions';
import { dtoSchema, queryParameters } from './dto-schemas';
import { OPERATION_DOCS } from './operation-docs';
import { RESPONSE_SCHEMAS, Schema } from './response-schemas';

type Ctor = new (...args: never[]) => unknown;
type Operation = Record<string, any>;

const E = ErrorCode;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'The same key with the same body replays the first answer (kept at least 24 h); with another body 422 IDEMPOTENCY_KEY_REUSED; while the first runs 409 IDEMPOTENCY_IN_PROGRESS',
  schema: { type: 'string', maxLength: 255 },
};

/**
 * The OpenAPI document of the running api: Nest's routes, completed with request schemas read from the
 * class-validator rules, query parameters, every success and error answer (the one error shape with the
 * codes each can carry), auth, and the webhooks payhub sends. docs/openapi.json is this, committed.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('payhub')
      .setDescription(
        'Merchant API (/v1, X-API-Key), back office (/backoffice, Bearer JWT). Amounts are integers in minor units. Errors: one shape, see Error.',
      )
      .setVersion('1')
      .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'api-key')
      .addBearerAuth()
      .build(),
  );
  const schemas = (document.components!.schemas ??= {}) as Record<string, Schema>;
  const registered = new Set<string>();
  const register = (dto: Ctor): string => {
    if (!registered.has(dto.name)) {
      registered.add(dto.name);
      const fromNest = schemas[dto.name] ?? {};
      schemas[dto.name] = merge(dtoSchema(dto, register), fromNest);
    }
    return dto.name;
  };
  const handlers = controllerMethods(app);

  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      const handler = handlers.get(operation.operationId);
      completeOperation(path, method, operation, handler, register);
    }
  }
  Object.assign(schemas, RESPONSE_SCHEMAS);
  const openapi = document as unknown as Record<string, unknown>;
  openapi.openapi = '3.1.0';
  openapi.webhooks = webhooks();
  return sortKeys(document) as OpenAPIObject;
}

function completeOperation(path: string, method: string, operation: Operation, handler: Handler | undefined, register: (dto: Ctor) => string): void {
  const merchantApi = path.startsWith('/v1/');
  const staffApi = path.startsWith('/backoffice/') && path !== '/backoffice/auth/login';
  operation.parameters = (operation.parameters ?? []).filter((p: { name: string }) => p.name !== 'Idempotency-Key');

  // Path parameters the template names but Nest did not list (a @Param() DTO).
  for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
    if (!operation.parameters.some((p: { in: string; name: string }) => p.in === 'path' && p.name === name)) {
      operation.parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
    }
  }
  const query = handler?.query;
  if (query) {
    const known = new Set(operation.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name));
    operation.parameters.push(...queryParameters(query).filter((p) => !known.has(p.name as string)));
  }
  if (handler?.body) register(handler.body);
  if (merchantApi && method === 'post') operation.parameters.push(IDEMPOTENCY_KEY);
  if (merchantApi) operation.security = [{ 'api-key': [] }];
  if (staffApi) operation.security = [{ bearer: [] }];
  if (!operation.parameters.length) delete operation.parameters;

  const doc = OPERATION_DOCS[operation.operationId];
  if (doc?.body) operation.requestBody = { required: true, content: doc.body };
  // A maker-checker route's 202 is its second answer (the proposal), never the success of an applied change.
  const successStatus =
    Object.keys(operation.responses ?? {}).find((s) => s.startsWith('2') && !(doc?.proposal && s === '202')) ?? (method === 'post' ? '201' : '200');
  const responses: Record<string, unknown> = {};
  responses[successStatus] = {
    description: operation.responses?.[successStatus]?.description || 'OK',
    ...(doc?.ok
      ? {
          content: {
            'application/json': { schema: doc.ok },
            ...Object.fromEntries((doc.alsoAnswers ?? []).map((type) => [type, { schema: { type: 'string' } }])),
          },
        }
      : doc?.text
        ? { content: { [doc.text]: { schema: { type: 'string' } } } }
        : {}),
  };
  if (doc?.proposal) {
    responses['202'] = {
      description: 'the change needs a second admin: it is a pending change until another admin confirms it',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/PendingChange' } } },
    };
  }
  const codes = new Set<ErrorCode>([E.INTERNAL_ERROR, E.SERVICE_UNAVAILABLE, ...(doc?.errors ?? [])]);
  if (handler?.body || query || operation.requestBody || operation.parameters?.some((p: { in: string }) => p.in === 'path')) codes.add(E.VALIDATION_FAILED);
  if (operation.requestBody) [E.MALFORMED_JSON, E.PAYLOAD_TOO_LARGE, E.UNSUPPORTED_MEDIA_TYPE].forEach((c) => codes.add(c));
  if (merchantApi) [E.UNAUTHENTICATED, E.MERCHANT_DISABLED, E.RATE_LIMITED].forEach((c) => codes.add(c));
  if (staffApi) [E.UNAUTHENTICATED, E.FORBIDDEN, E.TOTP_ENROLMENT_REQUIRED].forEach((c) => codes.add(c));
  if (path === '/backoffice/auth/login') codes.add(E.RATE_LIMITED);
  if (merchantApi && method === 'post') [E.IDEMPOTENCY_KEY_REUSED, E.IDEMPOTENCY_IN_PROGRESS].forEach((c) => codes.add(c));
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_HTTP_STATUS[code], [...(byStatus.get(ERROR_HTTP_STATUS[code]) ?? []), code]);
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const sorted = [...list].sort();
    responses[String(status)] = {
      description: sorted.join(', '),
      'x-error-codes': sorted,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  operation.responses = responses;
}

/** The webhook payhub POSTs for each event type. */
function webhooks(): Record<string, unknown> {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          summary: `${type}: sent to the merchant's webhook URL (or the transaction's notificationUrl)`,
          parameters: [
            {
              name: 'Payhub-Signature',
              in: 'header',
              required: true,
              description: 't=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">; one v1= per valid secret during a rotation',
              schema: { type: 'string' },
            },
            { name: 'Payhub-Event-Id', in: 'header', required: true, schema: { type: 'string', pattern: '^evt_' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookEvent' } } } },
          responses: { '2XX': { description: 'received; any other answer, or none within the timeout, is retried with backoff for about 24 h' } },
        },
      },
    ]),
  );
}

interface Handler {
  body?: Ctor;
  query?: Ctor;
}

/** operationId (`<Controller>_<method>`) → the DTO classes its @Body() and @Query() take. */
function controllerMethods(app: INestApplication): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Ctor | null;
      if (!controller) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) as Record<string, { index: number; data?: unknown }> | undefined;
        if (!args) continue;
        const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, method) ?? []) as Ctor[];
        const handler: Handler = {};
        for (const [key, arg] of Object.entries(args)) {
          const kind = Number(key.split(':')[0]);
          const type = types[arg.index];
          if (!type || arg.data !== undefined || !isDto(type)) continue;
          if (kind === RouteParamtypes.BODY) handler.body = type;
          if (kind === RouteParamtypes.QUERY) handler.query = type;
        }
        handlers.set(`${controller.name}_${method}`, handler);
      }
    }
  }
  return handlers;
}

function isDto(type: Ctor): boolean {
  return ![Object, String, Number, Boolean, Array].includes(type as never);
}

/** Properties read from the validators, with descriptions and examples Nest found in @ApiProperty kept. */
function merge(fromRules: Schema, fromNest: Schema): Schema {
  const nestProps = (fromNest.properties ?? {}) as Record<string, Schema>;
  const properties = Object.fromEntries(
    Object.entries(fromRules.properties as Record<string, Schema>).map(([name, schema]) => {
      const extra = nestProps[name] ?? {};
      const description = [schema.description, extra.description].filter(Boolean).join('; ');
      return [name, { ...schema, ...(description ? { description } : {}), ...(extra.example !== undefined ? { example: extra.example } : {}) }];
    }),
  );
  return { ...fromRules, properties };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}
