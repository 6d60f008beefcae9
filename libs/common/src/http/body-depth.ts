import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors';
import { requestIdOf } from './all-exceptions.filter';
import { toErrorResponse } from './error-response';

/** No payhub body nests anywhere near this deep (a provider config is 4 levels, a routing rule 5). */
export const MAX_BODY_DEPTH = 32;

/**
 * A parsed body deeper than MAX_BODY_DEPTH is a 400 before any handler runs: validation, logging and
 * the idempotency fingerprint walk bodies recursively, and 10,000 levels overflowed the stack (500).
 * The check itself walks iteratively.
 */
export function installBodyDepthLimit(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request, reply) => {
    if (!deeperThan(request.body, MAX_BODY_DEPTH)) return;
    const { status, body } = toErrorResponse(
      DomainError.validation([{ field: 'body', issue: `nests deeper than ${MAX_BODY_DEPTH} levels` }]),
      requestIdOf(request),
    );
    return reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  });
}

export function deeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
