import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '@payhub/common';
import { insertRows, isDuplicateKeyError, updateRows } from '@payhub/database';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** A request still "in progress" after this long is taken to have died; the key can be claimed again. */
export const IDEMPOTENCY_LOCK_MS = 60 * 1000;

export type IdempotencyClaim = { kind: 'claimed' } | { kind: 'replay'; status: number; body: unknown };

/**
 * Idempotency-Key semantics (DESIGN §5). The unique (merchant, key) row is the lock: of N parallel
 * requests exactly one inserts it and runs; the rest see it in progress (409) or replay its answer.
 */
@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async claim(merchantId: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    const repo = this.dataSource.getRepository(IdempotencyKeyEntity);
    const now = new Date();
    try {
      await insertRows(this.dataSource, IdempotencyKeyEntity, {
        merchantId,
        key,
        requestHash,
        state: 'in_progress',
        responseStatus: null,
        responseBody: null,
        lockedUntil: new Date(now.getTime() + IDEMPOTENCY_LOCK_MS),
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_RETENTION_MS),
      });
      return { kind: 'claimed' };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }

    const existing = await repo.findOneBy({ merchantId, key });
    if (!existing) throw new DomainError(ErrorCode.IDEMPOTENCY_IN_PROGRESS, 'A request with this Idempotency-Key is still being processed');
    if (existing.requestHash !== requestHash) {
      throw new DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was used with a different request body', [{ field: 'Idempotency-Key', issue: 'reused with a different request' }]);
    }
    if (existing.state === 'completed') return { kind: 'replay', status: existing.responseStatus ?? 200, body: existing.responseBody };
    if (existing.lockedUntil > now) {
      throw new DomainError(ErrorCode.IDEMPOTENCY_IN_PROGRESS, 'A request with this Idempotency-Key is still being processed');
    }
    // The first holder died mid-request: take the key over, unless another retry just did.
    const taken = await repo.createQueryBuilder().update().set({ lockedUntil: new Date(now.getTime() + IDEMPOTENCY_LOCK_MS) })
      .where('merchant_id = :merchantId AND idem_key = :key AND state = :state AND locked_until = :lockedUntil', { merchantId, key, state: 'in_progress', lockedUntil: existing.lockedUntil })
      .execute();
    if (taken.affected === 1) return { kind: 'claimed' };
    throw new DomainError(ErrorCode.IDEMPOTENCY_IN_PROGRESS, 'A request with this Idempotency-Key is still being processed');
  }

  async complete(merchantId: string, key: string, status: number, body: unknown): Promise<void> {
    await updateRows(this.dataSource, IdempotencyKeyEntity, { state: 'completed', responseStatus: status, responseBody: body }, 'merchant_id = :merchantId AND idem_key = :key', { merchantId, key });
  }

  /** After a server-side failure the key is freed so the merchant can retry with it. */
  async release(merchantId: string, key: string): Promise<void> {
    await this.dataSource.createQueryBuilder().delete().from(IdempotencyKeyEntity)
      .where('merchant_id = :merchantId AND idem_key = :key AND state = :state', { merchantId, key, state: 'in_progress' })
      .execute();
  }

  async purgeExpired(now = new Date()): Promise<number> {
    const result = await this.dataSource.createQueryBuilder().delete().from(IdempotencyKeyEntity).where('expires_at < :now', { now }).execute();
    return result.affected ?? 0;
  }
}
