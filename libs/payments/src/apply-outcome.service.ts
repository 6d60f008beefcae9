import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ProviderOutcome } from '@payhub/providers-core';
import { inTransaction } from '@payhub/database';
import {
  canTransition,
  ChangeContext,
  Failure,
  FailureCode,
  isFinal,
  MONEY_MISMATCH_CODES,
  refundCeiling,
  TransactionConflict,
  TransactionEntity,
  TransactionPatch,
  TransactionStateService,
  TxStatus,
  wouldWrite,
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

  private async applyLocked(
    manager: EntityManager,
    txId: string,
    outcome: ProviderOutcome,
    ctx: ChangeContext,
  ): Promise<{ result: ApplyResult; tx: TransactionEntity }> {
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
        this.logger.warn(
          { txId, current: tx.status, reported: to, source: ctx.source, code: step.mismatch?.code ?? 'STATUS_CONFLICT' },
          'provider result contradicts a final status',
        );
        return { result: 'conflict', tx: await this.state.recordConflict(txId, to, context, manager, step.mismatch ? conflictOf(step.mismatch) : {}) };
      case 'mismatch': {
        this.logger.warn(
          { txId, current: tx.status, code: step.mismatch.code, source: ctx.source },
          'provider reported another amount or currency; held INCONSISTENT',
        );
        const conflict: TransactionConflict = {
          at: new Date().toISOString(),
          source: ctx.source,
          reportedStatus: to,
          providerCode: context.providerCode ?? null,
          providerMessage: context.providerMessage ?? null,
          resolved: false,
          ...conflictOf(step.mismatch),
        };
        const failure: Failure = {
          code: step.mismatch.code === 'AMOUNT_MISMATCH' ? FailureCode.AMOUNT_MISMATCH : FailureCode.CURRENCY_MISMATCH,
          reason: step.mismatch.reason,
        };
        const patch: TransactionPatch = { ...step.patch, conflict, failure, nextAction: null };
        const { changed, tx: updated } = await this.state.transition(txId, TxStatus.INCONSISTENT, { ...context, reason: step.mismatch.reason }, patch, manager);
        return { result: changed ? 'conflict' : 'duplicate', tx: updated };
      }
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

/**
 * What `apply` would do with `outcome` on an unfinished row as read, when that changes no status and writes
 * nothing to the row: 'duplicate' (same status, nothing new) or 'ignored' with the note it keeps on the
 * history (e.g. an unknown outcome for a payment past REGISTERED, a status not reachable from this one).
 * Null when the outcome moves or marks the row: that goes through `apply`, under the row lock. Status sync
 * records the first two kinds in bulk. Pure: decided on the row as read, without its lock.
 */
export function unchangedBy(
  tx: TransactionEntity,
  outcome: ProviderOutcome,
  ctx: ChangeContext,
): { result: 'duplicate' } | { result: 'ignored'; note: ChangeContext } | null {
  if (isFinal(tx.status)) return null;
  const step = decide(tx, outcome);
  if (step.kind === 'note') {
    const context = withOutcome(ctx, outcome);
    return { result: 'ignored', note: step.reason ? { ...context, reason: step.reason } : context };
  }
  if (step.kind === 'transition' && outcome.status === tx.status && !wouldWrite(tx, outcome.status, step.patch)) return { result: 'duplicate' };
  return null;
}

interface Mismatch {
  code: 'AMOUNT_MISMATCH' | 'CURRENCY_MISMATCH';
  reason: string;
  amount: bigint | null;
  currency: string | null;
}

type Step =
  | { kind: 'duplicate' }
  | { kind: 'conflict'; mismatch?: Mismatch }
  | { kind: 'mismatch'; mismatch: Mismatch; patch: TransactionPatch }
  | { kind: 'note'; reason?: string }
  | { kind: 'transition'; patch: TransactionPatch };

/** What a provider result does to a transaction in its current state; no I/O. */
function decide(tx: TransactionEntity, outcome: ProviderOutcome): Step {
  const to = outcome.status;
  const mismatch = mismatchOf(tx, outcome);
  if (isFinal(tx.status)) {
    if (mismatch && to === tx.status) return { kind: 'conflict', mismatch };
    if (to === tx.status) return { kind: 'duplicate' };
    return isFinal(to) ? { kind: 'conflict' } : { kind: 'note' };
  }
  // Once the provider has named other money, only staff settle the payment (force status).
  if (tx.conflict && !tx.conflict.resolved && tx.conflict.code && MONEY_MISMATCH_CODES.includes(tx.conflict.code)) {
    return { kind: 'note', reason: `held: unresolved ${tx.conflict.code}; only staff can settle it` };
  }
  if (mismatch) return { kind: 'mismatch', mismatch, patch: patchFrom({ ...outcome, status: TxStatus.INCONSISTENT, amount: null }, tx) };
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
  if (
    outcome.creditedAmountAllowed &&
    outcome.amount !== undefined &&
    outcome.amount !== null &&
    outcome.amount !== tx.amount &&
    outcome.status === TxStatus.SUCCESSFUL
  )
    patch.settledAmount = outcome.amount;
  return patch;
}

/**
 * A SUCCESSFUL result stating another currency, or another amount than expected (the requested one;
 * once settled, the settled one), unless the provider defines that credited amount as normal and
 * the account allows it. Results that settle nothing move no money and are not compared.
 */
function mismatchOf(tx: TransactionEntity, outcome: ProviderOutcome): Mismatch | null {
  if (outcome.status !== TxStatus.SUCCESSFUL) return null;
  const amount = outcome.amount ?? null;
  const currency = outcome.currency ? outcome.currency.toUpperCase() : null;
  if (currency !== null && currency !== tx.currency) {
    return { code: 'CURRENCY_MISMATCH', reason: `the provider reported ${currency}, the payment is in ${tx.currency}`, amount, currency };
  }
  if (amount === null) return null;
  const settled = isFinal(tx.status);
  const expected = settled ? refundCeiling(tx) : tx.amount;
  if (amount === expected || (!settled && outcome.creditedAmountAllowed)) return null;
  return {
    code: 'AMOUNT_MISMATCH',
    reason: `the provider reported ${amount}, the payment ${settled ? 'settled' : 'asked for'} ${expected} (minor units of ${tx.currency})`,
    amount,
    currency,
  };
}

function conflictOf(mismatch: Mismatch): Pick<TransactionConflict, 'code' | 'reportedAmount' | 'reportedCurrency'> {
  return { code: mismatch.code, reportedAmount: mismatch.amount?.toString() ?? null, reportedCurrency: mismatch.currency };
}
