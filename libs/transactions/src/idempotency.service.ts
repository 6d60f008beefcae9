import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, SecretBox } from '@payhub/common';
import { insertRows, isDuplicateKeyError, updateRows } from '@payhub/database';
import { idempotencyFingerprint } from './idempotency-fingerprint';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { ProcessLiveness } from './process-liveness.service';

export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** A request still "in progress" after this long is taken to have died even if its process still runs. */
export const IDEMPOTENCY_LOCK_MS = 60 * 1000;

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  /** The first holder died mid-request; `since` is when it claimed the key. */
  | { kind: 'recovered'; since: Date };

export interface IdempotentRequest {
  merchantId: string;
  key: string;
  method: string;
  path: string;
  body: unknown;
}

/**
 * Idempotency-Key semantics (DESIGN §5). The unique (merchant, key) row is the lock: of N parallel
 * requests exactly one inserts it and runs; the rest see it in progress (409) or replay its answer.
 * The row names the process that holds it, so a retry can tell a request still running from one
 * whose process died and take the key over at once.
 */
@Injectable()
export class IdempotencyService {
  private readonly fingerprintKey: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly liveness: ProcessLiveness,
    secrets: SecretBox,
  ) {
    this.fingerprintKey = secrets.deriveKey('idempotency-fingerprint');
  }

  async claim(request: IdempotentRequest): Promise<IdempotencyClaim> {
    const { merchantId, key } = request;
    const fingerprint = idempotencyFingerprint(this.fingerprintKey, merchantId, request.method, request.path, request.body);
    await this.liveness.ensureBeating();
    const repo = this.dataSource.getRepository(IdempotencyKeyEntity);
    const now = new Date();
    try {
      await insertRows(this.dataSource, IdempotencyKeyEntity, {
        merchantId,
        key,
        fingerprint,
        owner: this.liveness.instanceId,
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
    if (!existing) throw inProgress();
    // Rows from before the keyed fingerprint carry none: their stored answer is replayed as it is.
    if (existing.fingerprint !== null && existing.fingerprint !== fingerprint) {
      throw new DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was used with a different request body', [
        { field: 'Idempotency-Key', issue: 'reused with a different request' },
      ]);
    }
    if (existing.state === 'completed') return { kind: 'replay', status: existing.responseStatus ?? 200, body: existing.responseBody };
    if (existing.lockedUntil > now && (await this.liveness.isAlive(existing.owner)) !== false) throw inProgress();
    // The first holder died mid-request: take the key over, unless another retry just did.
    const taken = await repo
      .createQueryBuilder()
      .update()
      .set({ lockedUntil: new Date(now.getTime() + IDEMPOTENCY_LOCK_MS), owner: this.liveness.instanceId })
      .where('merchant_id = :merchantId AND idem_key = :key AND state = :state AND locked_until = :lockedUntil', {
        merchantId,
        key,
        state: 'in_progress',
        lockedUntil: existing.lockedUntil,
      })
      .execute();
    if (taken.affected === 1) return { kind: 'recovered', since: existing.createdAt };
    throw inProgress();
  }

  async complete(merchantId: string, key: string, status: number, body: unknown): Promise<void> {
    await updateRows(
      this.dataSource,
      IdempotencyKeyEntity,
      { state: 'completed', responseStatus: status, responseBody: body },
      'merchant_id = :merchantId AND idem_key = :key',
      { merchantId, key },
    );
  }

  /** After a server-side failure the key is freed so the merchant can retry with it. */
  async release(merchantId: string, key: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(IdempotencyKeyEntity)
      .where('merchant_id = :merchantId AND idem_key = :key AND state = :state', { merchantId, key, state: 'in_progress' })
      .execute();
  }

  async purgeExpired(now = new Date()): Promise<number> {
    const result = await this.dataSource.createQueryBuilder().delete().from(IdempotencyKeyEntity).where('expires_at < :now', { now }).execute();
    return result.affected ?? 0;
  }
}

function inProgress(): DomainError {
  return new DomainError(ErrorCode.IDEMPOTENCY_IN_PROGRESS, 'A request with this Idempotency-Key is still being processed');
}
