import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, from, lastValueFrom, Observable } from 'rxjs';
import { DomainError, ErrorCode, requestIdOf, ReplayedResponse, toErrorResponse } from '@payhub/common';
import type { AuthenticatedMerchant } from '@payhub/merchants';
import { IdempotencyService, presentTransaction, TransactionQueryService, TransactionResponse } from '@payhub/transactions';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/** Clocks of two api hosts may disagree by this much when a retry compares creation times. */
const CLOCK_SKEW_MS = 5000;

/**
 * Idempotency-Key on merchant POSTs: the same key and body replay the first response (status and
 * body, byte for byte); another body is 422; a request still running is 409. Server errors (5xx)
 * free the key so the merchant can retry.
 *
 * A retry after the first request died mid-flight (its process is gone) runs again; when that run
 * finds the payment the first one created (DUPLICATE_MERCHANT_TX_ID), it answers with that payment as
 * it is now, in the shape the first answer would have had, instead of storing the duplicate error.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly transactions: TransactionQueryService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthenticatedMerchant }>();
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || header === undefined || !request.user) return next.handle();
    return from(this.run(context, request, Array.isArray(header) ? header[0] : header, next));
  }

  private async run(context: ExecutionContext, request: FastifyRequest & { user?: AuthenticatedMerchant }, key: string, next: CallHandler): Promise<unknown> {
    if (!KEY_FORMAT.test(key)) throw DomainError.validation([{ field: 'Idempotency-Key', issue: 'must be 1-255 printable ASCII characters' }]);
    const merchantId = request.user!.id;
    const claim = await this.idempotency.claim({ merchantId, key, method: request.method, path: request.url, body: request.body });
    if (claim.kind === 'replay') throw new ReplayedResponse(claim.status, claim.body);

    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
    try {
      const body = await lastValueFrom(
        next.handle().pipe(
          catchError((error: unknown) => {
            throw error;
          }),
        ),
      );
      await this.idempotency.complete(merchantId, key, status, body);
      return body;
    } catch (error) {
      const recovered = claim.kind === 'recovered' ? await this.createdByDeadAttempt(error, merchantId, claim.since) : null;
      if (recovered) {
        await this.idempotency.complete(merchantId, key, status, recovered);
        return recovered;
      }
      const response = toErrorResponse(error, requestIdOf(request));
      if (response.status >= 500) await this.idempotency.release(merchantId, key);
      else await this.idempotency.complete(merchantId, key, response.status, response.body);
      throw error;
    }
  }

  /** The payment a dead first attempt with this key created: it was created after the key was claimed. */
  private async createdByDeadAttempt(error: unknown, merchantId: string, since: Date): Promise<TransactionResponse | null> {
    if (!(error instanceof DomainError) || error.code !== ErrorCode.DUPLICATE_MERCHANT_TX_ID || typeof error.meta.transactionId !== 'string') return null;
    const tx = await this.transactions.get(error.meta.transactionId, merchantId);
    return tx.createdAt.getTime() >= since.getTime() - CLOCK_SKEW_MS ? presentTransaction(tx) : null;
  }
}
