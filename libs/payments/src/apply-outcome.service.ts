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

  /**
   * `known`: the row as this caller just wrote it (a payment it created a moment ago). A plain status
   * move is then applied optimistically in one round trip; if anything else touched the row meanwhile,
   * or the result needs more than a move, it goes the locked way below.
   */
  async apply(txId: string, outcome: ProviderOutcome, ctx: ChangeContext, known?: TransactionEntity): Promise<{ result: ApplyResult; tx: TransactionEntity }> {
    if (known) {
      const step = decide(known, outcome);
      if (step.kind === 'transition') {
        const done = await this.state.advance(known, outcome.status, withOutcome(ctx, outcome), step.patch);
        if (done) return { result: 'applied', tx: done.tx };
      }
    }
    return inTransaction(this.dataSource, (manager) => this.applyLocked(manager, txId, outcome, ctx));
  }

  private async applyLocked(manager: EntityManager, txId: string, outcome: ProviderOutcome, ctx: ChangeContext): Promise<{ result: ApplyResult; tx: TransactionEntity }> {
    const tx = await this.state.lock(manager, txId);
    const context = withOutcome(ctx, outcome);
    const to = outcome.status;
    const step = decide(tx, outcome);
    switch (step.kind) {
      case 'duplicate':
        // The provider's own answer came after a callback had already settled it: keep the exchange anyway.
        if (ctx.source === 'api') await this.state.note(txId, context, manager);
        return { result: 'duplicate', tx };
      case 'conflict':
        this.logger.warn({ txId, current: tx.status, reported: to, source: ctx.source }, 'provider result contradicts a final status');
        return { result: 'conflict', tx: await this.state.recordConflict(txId, to, context, manager) };
      case 'note':
        await this.state.note(txId, step.reason ? { ...context, reason: step.reason } : context, manager);
        return { result: 'ignored', tx };
      case 'transition': {
        const { changed, tx: updated } = await this.state.transition(txId, to, context, step.patch, manager);
        return { result: changed ? 'applied' : 'duplicate', tx: updated };
      }
    }
  }
}

type Step =
  | { kind: 'duplicate' }
  | { kind: 'conflict' }
  | { kind: 'note'; reason?: string }
  | { kind: 'transition'; patch: TransactionPatch };

/** What a provider result does to a transaction in its current state; no I/O. */
function decide(tx: TransactionEntity, outcome: ProviderOutcome): Step {
  const to = outcome.status;
  if (isFinal(tx.status)) {
    if (to === tx.status) return { kind: 'duplicate' };
    return isFinal(to) ? { kind: 'conflict' } : { kind: 'note' };
  }
  if (to === TxStatus.INCONSISTENT && tx.status !== TxStatus.REGISTERED) return { kind: 'note' };
  if (to !== tx.status && !canTransition(tx.status, to)) return { kind: 'note', reason: `provider reported ${to}, not reachable from ${tx.status}` };
  return { kind: 'transition', patch: patchFrom(outcome, tx) };
}

function withOutcome(ctx: ChangeContext, outcome: ProviderOutcome): ChangeContext {
  return {
    ...ctx,
    providerCode: ctx.providerCode ?? outcome.failure?.providerCode ?? null,
    providerMessage: ctx.providerMessage ?? outcome.failure?.providerMessage ?? null,
    data: { ...(ctx.data ?? {}), raw: outcome.raw },
  };
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
