import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, from, lastValueFrom, Observable } from 'rxjs';
import { DomainError, requestIdOf, ReplayedResponse, sha256Hex, toErrorResponse } from '@payhub/common';
import type { AuthenticatedMerchant } from '@payhub/merchants';
import { IdempotencyService } from '@payhub/transactions';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/**
 * Idempotency-Key on merchant POSTs: the same key and body replay the first response (status and
 * body, byte for byte); another body is 422; a request still running is 409. Server errors (5xx)
 * free the key so the merchant can retry.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService, private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthenticatedMerchant }>();
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || header === undefined || !request.user) return next.handle();
    return from(this.run(context, request, Array.isArray(header) ? header[0] : header, next));
  }

  private async run(context: ExecutionContext, request: FastifyRequest & { user?: AuthenticatedMerchant }, key: string, next: CallHandler): Promise<unknown> {
    if (!KEY_FORMAT.test(key)) throw DomainError.validation([{ field: 'Idempotency-Key', issue: 'must be 1-255 printable ASCII characters' }]);
    const merchantId = request.user!.id;
    const requestHash = sha256Hex(`${request.method} ${request.url}\n${canonicalJson(request.body)}`);
    const claim = await this.idempotency.claim(merchantId, key, requestHash);
    if (claim.kind === 'replay') throw new ReplayedResponse(claim.status, claim.body);

    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
    try {
      const body = await lastValueFrom(next.handle().pipe(catchError((error: unknown) => { throw error; })));
      await this.idempotency.complete(merchantId, key, status, body);
      return body;
    } catch (error) {
      const response = toErrorResponse(error, requestIdOf(request));
      if (response.status >= 500) await this.idempotency.release(merchantId, key);
      else await this.idempotency.complete(merchantId, key, response.status, response.body);
      throw error;
    }
  }
}

/** Key order must not make two equal bodies look different. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

