import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, MetricsService, newId } from '@payhub/common';
import { insertRows, isDuplicateKeyError, updateRows } from '@payhub/database';
import { ProviderConfigService } from '@payhub/provider-config';
import { ProviderRegistry, RawCallback, VerifiedCallback } from '@payhub/providers-core';
import { TransactionQueryService } from '@payhub/transactions';
import { ApplyOutcomeService } from '../apply-outcome.service';
import { CheckStatusUseCase } from '../check-status.use-case';
import { CallbackInboxEntity, CallbackState } from './callback-inbox.entity';
import { TransactionAccountLookup } from './transaction-account-lookup';

const KEPT_HEADERS = ['content-type', 'user-agent', 'x-forwarded-for', 'x-real-ip', 'content-length'];

export interface CallbackAnswer {
  status: number;
  body: string;
  contentType: string;
}

/**
 * A provider callback: stored raw first, verified by the adapter, deduplicated, applied through the
 * state machine, answered as the provider expects. A bad signature is stored as rejected and changes
 * nothing. A callback the adapter will not trust (`outcome: null`) only triggers a status check.
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
    private readonly metrics: MetricsService,
  ) {}

  async handle(providerId: string, raw: RawCallback): Promise<CallbackAnswer> {
    const provider = this.registry.get(providerId);
    const id = newId('cb');
    await insertRows(this.dataSource, CallbackInboxEntity, {
      id,
      provider: providerId,
      transactionId: raw.params.txId ?? null,
      state: 'received',
      appliedKey: null,
      dedupKey: null,
      contentType: raw.contentType,
      headers: Object.fromEntries(KEPT_HEADERS.filter((h) => raw.headers[h] !== undefined).map((h) => [h, raw.headers[h]])),
      rawBody: raw.rawBody,
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
      await this.finish(id, providerId, 'rejected', { error: domain.message, responseStatus: null });
      this.logger.warn({ provider: providerId, callbackId: id, code: domain.code }, 'callback rejected');
      throw domain;
    }

    const txId = verified.results[0]?.txId ?? null;
    if (await this.alreadyApplied(providerId, verified.dedupKey)) {
      await this.finish(id, providerId, 'duplicate', { dedupKey: verified.dedupKey, transactionId: txId, responseStatus: verified.response.status });
      return verified.response;
    }

    try {
      for (const result of verified.results) {
        if (result.outcome) await this.outcomes.apply(result.txId, result.outcome, { source: 'callback', actor: providerId, reason: `callback ${id}` });
        else await this.statusChecks.check(result.txId, { reason: `callback ${id} (not trusted: status checked)` });
      }
    } catch (error) {
      await this.finish(id, providerId, 'failed', { dedupKey: verified.dedupKey, transactionId: txId, error: (error as Error).message.slice(0, 500), responseStatus: 500 });
      throw error;
    }

    try {
      await this.finish(id, providerId, 'applied', { dedupKey: verified.dedupKey, appliedKey: verified.dedupKey, transactionId: txId, responseStatus: verified.response.status });
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
    this.metrics.callback(provider, state);
  }
}
