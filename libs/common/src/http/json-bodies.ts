import type { FastifyInstance } from 'fastify';
import { DomainError, ErrorCode } from '../errors';
import { requestIdOf } from './all-exceptions.filter';
import { toErrorResponse } from './error-response';

export interface JsonBodyRule {
  /** Paths whose request bodies must be JSON. */
  paths: RegExp[];
  /** Paths that also take other media types (e.g. PaymentIQ XML provider configs). */
  alsoAccept?: Array<{ path: RegExp; types: string[] }>;
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A form or text body sent to a JSON API is refused with 415 before it is parsed, instead of being read
 * as an empty object whose every field is then "missing". Bodiless requests pass whatever they declare.
 */
export function installJsonBodiesOnly(fastify: FastifyInstance, rule: JsonBodyRule): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?')[0];
    const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    if (!WITH_BODY.has(request.method) || !hasBody || !rule.paths.some((p) => p.test(path))) return done();
    const type = String(request.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    const extra = rule.alsoAccept?.filter((a) => a.path.test(path)).flatMap((a) => a.types) ?? [];
    if (type === 'application/json' || type.endsWith('+json') || extra.includes(type)) return done();
    const accepted = ['application/json', ...extra].join(' or ');
    const error = new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `Send the body as JSON with Content-Type: ${accepted}${type ? `, not ${type}` : ''}`, [
      { field: 'Content-Type', issue: type ? `must be ${accepted}, not ${type}` : `is missing; must be ${accepted}` },
    ]);
    const { status, body } = toErrorResponse(error, requestIdOf(request));
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  });
}
