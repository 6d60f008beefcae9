import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, DomainError, ErrorCode, loggableError, MetricsService, newId, RateLimiter } from '@payhub/common';
import { insertRows, isDuplicateKeyError, updateRows } from '@payhub/database';
import { ProviderConfigService } from '@payhub/provider-config';
import { ProviderRegistry, RawCallback, VerifiedCallback } from '@payhub/providers-core';
import { TransactionQueryService } from '@payhub/transactions';
import { ApplyOutcomeService } from '../apply-outcome.service';
import { CheckStatusUseCase } from '../check-status.use-case';
import { CallbackInboxEntity, CallbackState } from './callback-inbox.entity';
import { TransactionAccountLookup } from './transaction-account-lookup';
import { statusCheckWindowKey, TrailingStatusChecks } from './trailing-status-check';

const TX_ID = /^tx_[0-9A-Z]{26}$/;
const KEPT_HEADERS = ['content-type', 'user-agent', 'content-length'];
/** What is kept of a callback that failed verification: enough to diagnose, too little to fill the disk. */
export const REJECTED_BODY_MAX_BYTES = 64 * 1024;
const PROVIDER_LIMIT_FACTOR = 10;

export interface CallbackAnswer {
  status: number;
  body: string;
  contentType: string;
}

/**
 * A provider callback: rate-limited per client address and per provider, verified by the adapter,
 * stored, deduplicated, applied through the state machine, answered as the provider expects. A bad
 * signature is stored as rejected (at most 64 KB of it) and changes nothing. A callback the adapter will
 * not trust (`outcome: null`) only prompts a status check, at most one per transaction per window
 * (`CALLBACK_STATUS_CHECK_WINDOW_MS`, 10 s); the ones a window holds back are answered by one more check at its
 * end (`TrailingStatusChecks`).
 * Verifying before storing changes nothing for safety: nothing is applied before the row exists.
 */
@Injectable()
export class HandleCallbackUseCase {
  private readonly logger = new Logger(HandleCallbackUseCase.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ProviderRegistry,
    private readonly query: TransactionQueryService,
    private readonly configs: ProviderConfigService,
    private readonly outcomes: ApplyOutcomeService,
    private readonly statusChecks: CheckStatusUseCase,
    private readonly trailing: TrailingStatusChecks,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async handle(providerId: string, raw: RawCallback, client: { ip: string | null } = { ip: null }): Promise<CallbackAnswer> {
    const provider = this.registry.get(providerId);
    const perSecond = this.config.rateLimits.callbacksPerSecond;
    await this.limiter.hit(`callbacks:ip:${client.ip ?? 'unknown'}`, perSecond, 1000);
    // A provider sends from a handful of addresses: its own ceiling is ten addresses' worth.
    await this.limiter.hit(`callbacks:provider:${providerId}`, perSecond * PROVIDER_LIMIT_FACTOR, 1000);
    // Every per-transaction callback URL payhub hands out ends in a transaction id; nothing else is stored.
    if (raw.params.txId !== undefined && !TX_ID.test(raw.params.txId)) {
      throw new DomainError(ErrorCode.CALLBACK_INVALID, 'The callback URL names no payhub transaction', [
        { field: 'txId', issue: 'must be a payhub transaction id (tx_ and 26 characters)' },
      ]);
    }
    const id = newId('cb');
    const row = (rawBody: string, state: CallbackState): CallbackInboxEntity => ({
      id,
      provider: providerId,
      transactionId: raw.params.txId ?? null,
      state,
      appliedKey: null,
      dedupKey: null,
      contentType: raw.contentType?.slice(0, 128) ?? null,
      headers: { ...Object.fromEntries(KEPT_HEADERS.filter((h) => raw.headers[h] !== undefined).map((h) => [h, raw.headers[h]])), 'client-ip': client.ip },
      rawBody,
      error: null,
      responseStatus: null,
      receivedAt: new Date(),
      processedAt: null,
    });

    let verified: VerifiedCallback;
    try {
      verified = await provider.parseCallback(raw, new TransactionAccountLookup(providerId, this.query, this.configs));
    } catch (error) {
      const domain = error instanceof DomainError ? error : new DomainError(ErrorCode.CALLBACK_INVALID, 'The callback could not be read');
      await insertRows(this.dataSource, CallbackInboxEntity, {
        ...row(truncateUtf8(raw.rawBody, REJECTED_BODY_MAX_BYTES), 'rejected'),
        error: domain.message.slice(0, 512),
        processedAt: new Date(),
      });
      this.metrics.callback(providerId, 'rejected');
      this.logger.warn({ provider: providerId, callbackId: id, code: domain.code }, 'callback rejected');
      throw domain;
    }
    await insertRows(this.dataSource, CallbackInboxEntity, row(raw.rawBody, 'received'));

    const txId = verified.results[0]?.txId ?? null;
    verified = { ...verified, dedupKey: scopedDedupKey(verified) };
    if (await this.alreadyApplied(providerId, verified.dedupKey)) {
      await this.finish(id, providerId, 'duplicate', { dedupKey: verified.dedupKey, transactionId: txId, responseStatus: verified.response.status });
      return verified.response;
    }

    // An untrusted notification only asks "look again": one look per transaction per window, and one at the end of
    // the window for those it held back (the provider may have moved on after the window's look).
    const windowMs = this.config.callbacks.statusCheckWindowMs;
    const windows = await Promise.all(verified.results.map((r) => (r.outcome ? null : this.limiter.openWindow(statusCheckWindowKey(r.txId), windowMs))));
    const checks = windows.map((w) => w === null || w.first);
    try {
      await Promise.all(verified.results.map((r, i) => (checks[i] ? undefined : this.trailing.schedule(r.txId, windows[i]!.endsAt))));
    } catch (error) {
      await this.finish(id, providerId, 'failed', {
        dedupKey: verified.dedupKey,
        transactionId: txId,
        error: loggableError(error).message.slice(0, 500),
        responseStatus: 500,
      });
      throw error;
    }
    if (!checks.some(Boolean)) {
      await this.finish(id, providerId, 'coalesced', { dedupKey: verified.dedupKey, transactionId: txId, responseStatus: verified.response.status });
      return verified.response;
    }

    try {
      for (const [i, result] of verified.results.entries()) {
        if (result.outcome) await this.outcomes.apply(result.txId, result.outcome, { source: 'callback', actor: providerId, reason: `callback ${id}` });
        else if (checks[i]) {
          const checked = await this.statusChecks.check(result.txId, { reason: `callback ${id} (not trusted: status checked)` }, { prompt: 'notification' });
          // Ahead of payhub's own request (Kasha notifies before it answers): looked at again when the window ends.
          if (checked.deferred) await this.trailing.schedule(result.txId, windows[i]!.endsAt);
        }
      }
    } catch (error) {
      await this.finish(id, providerId, 'failed', {
        dedupKey: verified.dedupKey,
        transactionId: txId,
        error: loggableError(error).message.slice(0, 500),
        responseStatus: 500,
      });
      throw error;
    }

    try {
      await this.finish(id, providerId, 'applied', {
        dedupKey: verified.dedupKey,
        appliedKey: verified.dedupKey,
        transactionId: txId,
        responseStatus: verified.response.status,
      });
    } catch (error) {
      // A twin callback was applied in parallel; both went through the state machine, which applied it once.
      if (!isDuplicateKeyError(error)) throw error;
      await this.finish(id, providerId, 'duplicate', { dedupKey: verified.dedupKey, transactionId: txId, responseStatus: verified.response.status });
    }
    return verified.response;
  }

  private async alreadyApplied(provider: string, dedupKey: string): Promise<boolean> {
    const row = await this.dataSource.getRepository(CallbackInboxEntity).findOne({ where: { provider, appliedKey: dedupKey }, select: { id: true } });
    return row !== null;
  }

  private async finish(id: string, provider: string, state: Exclude<CallbackState, 'received'>, fields: Partial<CallbackInboxEntity>): Promise<void> {
    await updateRows(this.dataSource, CallbackInboxEntity, { ...fields, state, processedAt: new Date() }, 'id = :id', { id });
    // A coalesced notice is answered by a status check already made for the same transaction: a duplicate.
    this.metrics.callback(provider, state === 'coalesced' ? 'duplicate' : state);
  }
}

/** At most `bytes` bytes of UTF-8, never half a character. */
function truncateUtf8(text: string, bytes: number): string {
  const encoded = Buffer.from(text, 'utf8');
  return encoded.length <= bytes
    ? text
    : encoded
        .subarray(0, bytes)
        .toString('utf8')
        .replace(/\uFFFD$/, '');
}

/** The column holds this many characters; a longer key (a batched postback) is kept as its digest. */
const DEDUP_KEY_MAX = 191;

/**
 * A callback is a duplicate only of one for the same payhub transaction(s): the adapter's key is
 * scoped to the transaction ids it names, so a provider reusing its own id across payments (or an
 * adapter whose key names only the provider's event) can never swallow another payment's callback.
 */
export function scopedDedupKey(verified: VerifiedCallback): string {
  const txIds = [...new Set(verified.results.map((r) => r.txId))].sort();
  const scoped = `${txIds.join(',') || '-'}|${verified.dedupKey}`;
  return scoped.length <= DEDUP_KEY_MAX ? scoped : `sha256:${createHash('sha256').update(scoped).digest('hex')}`;
}
