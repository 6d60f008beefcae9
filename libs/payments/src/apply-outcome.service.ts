import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ProviderOutcome } from '@payhub/providers-core';
import { inTransaction } from '@payhub/database';
import {
  canTransition, ChangeContext, isFinal, TransactionEntity, TransactionPatch, TransactionStateService, TxStatus,
} from '@payhub/transactions';

export type ApplyResult = 'applied' | 'duplicate' | 'conflict' | 'ignored';

/**
 * Applies a provider result (API answer, callback or status check) through the state machine.
 * Final statuses never change: a contradicting result is stored as a conflict. An "unknown" result
 * only marks a transaction INCONSISTENT while its submission is what was unknown.
 */
@Injectable()
export class ApplyOutcomeService {
  private readonly logger = new Logger(ApplyOutcomeService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly state: TransactionStateService,
  ) {}

  async apply(txId: string, outcome: ProviderOutcome, ctx: ChangeContext): Promise<{ result: ApplyResult; tx: TransactionEntity }> {
    return inTransaction(this.dataSource, (manager) => this.applyLocked(manager, txId, outcome, ctx));
  }

  private async applyLocked(manager: EntityManager, txId: string, outcome: ProviderOutcome, ctx: ChangeContext): Promise<{ result: ApplyResult; tx: TransactionEntity }> {
    const tx = await this.state.lock(manager, txId);
    const context: ChangeContext = {
      ...ctx,
      providerCode: ctx.providerCode ?? outcome.failure?.providerCode ?? null,
      providerMessage: ctx.providerMessage ?? outcome.failure?.providerMessage ?? null,
      data: { ...(ctx.data ?? {}), raw: outcome.raw },
    };
    const to = outcome.status;

    if (isFinal(tx.status)) {
      if (to === tx.status) return { result: 'duplicate', tx };
      if (isFinal(to)) {
        this.logger.warn({ txId, current: tx.status, reported: to, source: ctx.source }, 'provider result contradicts a final status');
        return { result: 'conflict', tx: await this.state.recordConflict(txId, to, context, manager) };
      }
      await this.state.note(txId, context, manager);
      return { result: 'ignored', tx };
    }

    if (to === TxStatus.INCONSISTENT && tx.status !== TxStatus.REGISTERED) {
      await this.state.note(txId, context, manager);
      return { result: 'ignored', tx };
    }

    const patch = patchFrom(outcome, tx);
    if (to !== tx.status && !canTransition(tx.status, to)) {
      await this.state.note(txId, { ...context, reason: `provider reported ${to}, not reachable from ${tx.status}` }, manager);
      return { result: 'ignored', tx };
    }
    const { changed, tx: updated } = await this.state.transition(txId, to, context, patch, manager);
    return { result: changed ? 'applied' : 'duplicate', tx: updated };
  }
}

function patchFrom(outcome: ProviderOutcome, tx: TransactionEntity): TransactionPatch {
  const patch: TransactionPatch = {};
  if (outcome.providerTxId) patch.providerTxId = outcome.providerTxId;
  if (outcome.nextAction !== undefined) patch.nextAction = outcome.nextAction;
  if (isFinal(outcome.status)) patch.nextAction = null;
  if (outcome.failure) patch.failure = outcome.failure;
  if (outcome.providerData) patch.providerData = { ...(tx.providerData ?? {}), ...outcome.providerData };
  // Never silently: the requested amount stays, what was settled is kept beside it and shown to the merchant.
  if (outcome.amount !== undefined && outcome.amount !== null && outcome.amount !== tx.amount && outcome.status === TxStatus.SUCCESSFUL) patch.settledAmount = outcome.amount;
  return patch;
}
