import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_HTTP_STATUS, ErrorCode } from '@payhub/common';
import { WEBHOOK_EVENT_TYPES } from '@payhub/transactions';
import { OPERATION_DOCS } from '../apps/api/src/openapi/operation-docs';
import { TestApp } from './support/test-app';

type Operation = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** The document integrators generate clients from: complete for every route, and committed as served. */
describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: Record<string, any>;
  const operations = (): Array<{ path: string; method: string; op: Operation }> =>
    Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
    );
  const resolve = (schema: Record<string, any>) => (schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema);

  beforeAll(async () => {
    t = await TestApp.start();
    doc = (await t.http.get('/docs/openapi.json')).body;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('docs/openapi.json is the document the app serves (run `npm run openapi:write` after changing the API)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'openapi.json'), 'utf8'));
    expect(doc).toEqual(committed);
  });

  it('documents every operation: a known success body, each error answer in the one error shape with its codes, parameters and auth', () => {
    const problems: string[] = [];
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!OPERATION_DOCS[op.operationId]) problems.push(`${where}: ${op.operationId} has no entry in apps/api/src/openapi/operation-docs.ts`);
      const statuses = Object.keys(op.responses ?? {});
      // One success answer, with a body unless it is 204; a maker-checker change may also answer 202 with the pending change.
      const proposal = Boolean(OPERATION_DOCS[op.operationId]?.proposal);
      const success = statuses.filter((s) => s.startsWith('2') && !(proposal && s === '202'));
      const hasBody = (status: string) =>
        Object.values((op.responses[status].content ?? {}) as Record<string, { schema?: unknown }>).some((media) => Boolean(media.schema));
      if (success.length !== 1 || (success[0] !== '204' && !hasBody(success[0]))) problems.push(`${where}: no success body schema`);
      if (proposal && !hasBody('202')) problems.push(`${where}: 202 without the pending change's schema`);
      const errors = statuses.filter((s) => /^[45]/.test(s));
      if (!errors.includes('500')) problems.push(`${where}: no 500 answer`);
      for (const status of errors) {
        const answer = op.responses[status];
        if (answer.content?.['application/json']?.schema?.$ref !== '#/components/schemas/Error') problems.push(`${where} ${status}: not the Error shape`);
        const codes: string[] = answer['x-error-codes'] ?? [];
        if (!codes.length) problems.push(`${where} ${status}: names no error code`);
        for (const code of codes)
          if (ERROR_HTTP_STATUS[code as ErrorCode] !== Number(status))
            problems.push(`${where} ${status}: ${code} is answered with ${ERROR_HTTP_STATUS[code as ErrorCode]}`);
      }
      const params: Array<{ name: string; in: string; schema?: unknown }> = op.parameters ?? [];
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))
        if (!params.some((p) => p.in === 'path' && p.name === name)) problems.push(`${where}: path parameter ${name} undocumented`);
      for (const p of params) if (!p.schema) problems.push(`${where}: parameter ${p.name} has no schema`);
      const idempotency = params.some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      if (idempotency !== (method === 'post' && path.startsWith('/v1/')))
        problems.push(`${where}: Idempotency-Key ${idempotency ? 'on a non-POST or outside /v1' : 'missing on a /v1 POST'}`);
      const needsAuth = (path.startsWith('/v1/') || path.startsWith('/backoffice/')) && path !== '/backoffice/auth/login';
      if (needsAuth && !op.security?.length) problems.push(`${where}: no security`);
      if (needsAuth && !errors.includes('401')) problems.push(`${where}: no 401 answer`);
      if (op.requestBody) {
        for (const [type, media] of Object.entries(op.requestBody.content as Record<string, { schema?: Record<string, any> }>)) {
          const schema = media.schema ? resolve(media.schema) : null;
          if (!schema) problems.push(`${where}: ${type} body without a schema`);
          else if (
            type === 'application/json' &&
            schema.type === 'object' &&
            schema.additionalProperties === false &&
            !Object.keys(schema.properties ?? {}).length
          )
            problems.push(`${where}: empty body schema`);
        }
        if (!errors.includes('415')) problems.push(`${where}: no 415 answer`);
      }
    }
    for (const id of Object.keys(OPERATION_DOCS))
      if (!operations().some(({ op }) => op.operationId === id)) problems.push(`operation-docs.ts documents ${id}, which is no route`);
    expect(problems).toEqual([]);
  });

  it('request schemas carry their properties; query parameters are listed', () => {
    const deposit = doc.components.schemas.DepositRequestDto;
    expect(deposit.required).toEqual(expect.arrayContaining(['merchantTxId', 'userId', 'txType', 'amount', 'currency']));
    expect(deposit.properties.amount).toMatchObject({ type: 'integer', minimum: 1 });
    expect(deposit.properties.card).toEqual({ $ref: '#/components/schemas/CardDto' });
    expect(doc.components.schemas.CardDto.properties.number).toMatchObject({ type: 'string', pattern: '^\\d{12,19}$' });
    expect(Object.keys(doc.components.schemas.WithdrawalRequestDto.properties)).toEqual(expect.arrayContaining(['amount', 'bank', 'customer']));
    const names = (path: string) => (doc.paths[path].get.parameters as Array<{ name: string; in: string }>).filter((p) => p.in === 'query').map((p) => p.name);
    expect(names('/v1/transactions')).toEqual(expect.arrayContaining(['merchantTxId', 'userId', 'status', 'limit', 'startingAfter']));
    expect(names('/backoffice/transactions')).toEqual(
      expect.arrayContaining(['merchantId', 'status', 'txType', 'provider', 'userId', 'createdFrom', 'amountMin', 'limit', 'startingAfter']),
    );
    expect(names('/v1/payment-methods')).toEqual(expect.arrayContaining(['direction', 'currency', 'country', 'amount']));
    expect(doc.paths['/v1/transactions/{id}'].get.responses['404']['x-error-codes']).toContain('TRANSACTION_NOT_FOUND');
  });

  it('documents every webhook payhub sends, with its signature headers', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const type of WEBHOOK_EVENT_TYPES) {
      const post = doc.webhooks[type].post;
      expect(post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/WebhookEvent' });
      expect(post.parameters.map((p: { name: string }) => p.name)).toEqual(['Payhub-Signature', 'Payhub-Event-Id']);
    }
    expect(doc.components.schemas.WebhookEvent.required).toEqual(['eventId', 'type', 'createdAt', 'previousStatus', 'transaction']);
  });
});
