import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { asJsonInteger, DomainError, ErrorCode, MetricsService, newId } from '@payhub/common';
import { BatchStatement, inTransaction, insertRows, SqlBatch, updateRows } from '@payhub/database';
import { canTransition, EventSource, refundCeiling, RETURN_TX_TYPES, TxStatus } from '@payhub/domain';
import { OutboxEntity } from './outbox.entity';
import { TransactionEventEntity } from './transaction-event.entity';
import { TransactionConflict, TransactionEntity } from './transaction.entity';
import { IllegalTransitionError, TransactionNotFoundError } from './transaction.errors';
import { presentTransaction } from './transaction.presenter';
import { TRANSACTION_REFUND_REVERTED_EVENT, TRANSACTION_REFUNDED_EVENT, WEBHOOK_TYPE_BY_STATUS } from './webhook-event-types';

/** Fields a status change may set along with the status. */
export type TransactionPatch = Partial<
  Pick<
    TransactionEntity,
    | 'providerTxId'
    | 'nextAction'
    | 'failure'
    | 'providerData'
    | 'provider'
    | 'providerAccount'
    | 'refundedAmount'
    | 'settledAmount'
    | 'routingRuleId'
    | 'routingReason'
    | 'conflict'
  >
>;

export interface ChangeContext {
  source: EventSource;
  actor?: string | null;
  reason?: string | null;
  providerCode?: string | null;
  providerMessage?: string | null;
  /** Raw provider exchange or other facts, already redacted. */
  data?: Record<string, unknown> | null;
}

export type NewTransaction = Omit<
  TransactionEntity,
  'version' | 'createdAt' | 'updatedAt' | 'conflict' | 'refundedAmount' | 'settledAmount' | 'providerData' | 'nextAction' | 'failure' | 'providerTxId'
> &
  Partial<Pick<TransactionEntity, 'nextAction' | 'failure' | 'providerTxId' | 'providerData'>>;

export interface TransitionResult {
  tx: TransactionEntity;
  changed: boolean;
  from: TxStatus;
}

/**
 * The only writer of the transaction tables. Every status change happens under a row lock and
 * appends its event and its outbox row in the same DB transaction.
 */
@Injectable()
export class TransactionStateService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly batch: SqlBatch,
    private readonly metrics: MetricsService,
  ) {}

  async create(input: NewTransaction, ctx: ChangeContext, outer?: EntityManager): Promise<TransactionEntity> {
    const now = new Date();
    const tx: TransactionEntity = {
      ...input,
      providerTxId: input.providerTxId ?? null,
      nextAction: input.nextAction ?? null,
      failure: input.failure ?? null,
      providerData: input.providerData ?? null,
      refundedAmount: 0n,
      settledAmount: null,
      conflict: null,
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    if (!outer?.queryRunner?.isTransactionActive) {
      // The payment hot path: three inserts, one round trip.
      await this.batch.transaction([
        this.batch.insert(TransactionEntity, tx),
        this.batch.insert(TransactionEventEntity, eventRow(tx, 'status_change', null, tx.status, ctx)),
        this.batch.insert(OutboxEntity, outboxRow(tx, null)),
      ]);
      this.metrics.transactionStatus(tx.txType, tx.provider, tx.status);
      return tx;
    }
    await insertRows(outer, TransactionEntity, tx);
    await this.appendEvent(outer, tx, 'status_change', null, tx.status, ctx);
    await this.appendOutbox(outer, tx, null);
    this.metrics.transactionStatus(tx.txType, tx.provider, tx.status);
    return tx;
  }

  /**
   * The optimistic form of `transition` for a caller that holds the row as it was written (a payment it
   * just created): one round trip, the update guarded by the version it knows, event and outbox row
   * written only if that update took. Answers null, and the caller goes the locked way, when the row has
   * moved on meanwhile (a callback was faster), when there is nothing to write, and for returns, whose
   * parent totals change under the parent's lock.
   */
  async advance(known: TransactionEntity, to: TxStatus, ctx: ChangeContext, patch: TransactionPatch = {}): Promise<TransitionResult | null> {
    const from = known.status;
    if (!moves(known, to, patch) || (known.parentId && RETURN_TX_TYPES.includes(known.txType))) return null;
    const changes = changesFor(known, to, patch);
    const tx: TransactionEntity = { ...known, ...changes };
    const statements: BatchStatement[] = [
      this.batch.update(TransactionEntity, changes, { id: known.id, version: known.version }),
      this.batch.rememberRowCount('payhub_advanced'),
      this.batch.insert(TransactionEventEntity, eventRow(tx, 'status_change', from, to, ctx), { onlyIfOneRow: 'payhub_advanced' }),
    ];
    if (from !== to) statements.push(this.batch.insert(OutboxEntity, outboxRow(tx, from), { onlyIfOneRow: 'payhub_advanced' }));
    const [updated] = await this.batch.transaction(statements);
    if (updated === 1 && from !== to) this.metrics.transactionStatus(tx.txType, tx.provider, to);
    return updated === 1 ? { tx, changed: true, from } : null;
  }

  /**
   * Moves a transaction to `to`. Same status again is a no-op (duplicate callbacks land here);
   * a move the table does not allow throws IllegalTransitionError and changes nothing.
   */
  async transition(txId: string, to: TxStatus, ctx: ChangeContext, patch: TransactionPatch = {}, outer?: EntityManager): Promise<TransitionResult> {
    return this.counted(
      await inTransaction(
        this.dataSource,
        async (manager) => {
          const tx = await this.lock(manager, txId);
          const from = tx.status;
          if (!moves(tx, to, patch)) return { tx, changed: false, from };
          await this.write(manager, tx, to, patch);
          await this.appendEvent(manager, tx, 'status_change', from, to, ctx);
          if (from !== to) await this.appendOutbox(manager, tx, from);
          await this.settleReturnOnParent(manager, tx, from, to, ctx);
          return { tx, changed: true, from };
        },
        outer,
      ),
    );
  }

  /** Staff override, outside the transition table; always audited by the caller. */
  async forceStatus(txId: string, to: TxStatus, ctx: ChangeContext & { actor: string; reason: string }, outer?: EntityManager): Promise<TransitionResult> {
    return this.counted(
      await inTransaction(
        this.dataSource,
        async (manager) => {
          const tx = await this.lock(manager, txId);
          const from = tx.status;
          const conflict = tx.conflict ? { ...tx.conflict, resolved: true } : null;
          await this.write(manager, tx, to, {}, { conflict });
          await this.appendEvent(manager, tx, 'forced', from, to, ctx);
          if (from !== to) await this.appendOutbox(manager, tx, from);
          await this.settleReturnOnParent(manager, tx, from, to, ctx);
          return { tx, changed: from !== to, from };
        },
        outer,
      ),
    );
  }

  /** A provider result that contradicts a final status: kept, never applied. */
  async recordConflict(
    txId: string,
    reportedStatus: TxStatus,
    ctx: ChangeContext,
    outer?: EntityManager,
    money: Pick<TransactionConflict, 'code' | 'reportedAmount' | 'reportedCurrency'> = {},
  ): Promise<TransactionEntity> {
    const tx = await inTransaction(
      this.dataSource,
      async (manager) => {
        const tx = await this.lock(manager, txId);
        const conflict: TransactionConflict = {
          at: new Date().toISOString(),
          source: ctx.source,
          code: money.code ?? 'STATUS_CONFLICT',
          ...(money.code ? { reportedAmount: money.reportedAmount ?? null, reportedCurrency: money.reportedCurrency ?? null } : {}),
          reportedStatus,
          providerCode: ctx.providerCode ?? null,
          providerMessage: ctx.providerMessage ?? null,
          resolved: false,
        };
        await this.write(manager, tx, tx.status, {}, { conflict });
        await this.appendEvent(manager, tx, 'conflict', tx.status, reportedStatus, ctx);
        return tx;
      },
      outer,
    );
    this.metrics.conflict();
    return tx;
  }

  /** Records a provider exchange that changes no status (e.g. a status check that found nothing new). */
  async note(txId: string, ctx: ChangeContext, outer?: EntityManager): Promise<void> {
    await inTransaction(
      this.dataSource,
      async (manager) => {
        const tx = await this.find(manager, txId);
        await this.appendEvent(manager, tx, 'provider_exchange', tx.status, tx.status, ctx);
      },
      outer,
    );
  }

  /**
   * Several notes in one INSERT (status checks that found nothing new), each written from the row as its
   * caller read it, as `note` writes it. Changes no status: nothing to lock.
   */
  async noteMany(notes: Array<{ tx: TransactionEntity; ctx: ChangeContext }>): Promise<void> {
    if (!notes.length) return;
    await insertRows(
      this.dataSource,
      TransactionEventEntity,
      notes.map(({ tx, ctx }) => eventRow(tx, 'provider_exchange', tx.status, tx.status, ctx)),
    );
  }

  /** Counts a status change once its DB transaction is over (with an outer one: once this part of it is). */
  private counted(result: TransitionResult): TransitionResult {
    if (result.from !== result.tx.status) this.metrics.transactionStatus(result.tx.txType, result.tx.provider, result.tx.status);
    return result;
  }

  /** SELECT … FOR UPDATE: callers that must check an invariant first (refund limits) lock through here. */
  async lock(manager: EntityManager, txId: string): Promise<TransactionEntity> {
    const tx = await manager.createQueryBuilder(TransactionEntity, 't').setLock('pessimistic_write').where('t.id = :txId', { txId }).getOne();
    if (!tx) throw new TransactionNotFoundError(txId);
    return tx;
  }

  /**
   * A refund or reversal that becomes SUCCESSFUL adds its amount to the parent's refundedAmount (and a
   * forced move away from SUCCESSFUL takes it back), in the child's DB transaction, under the parent's
   * row lock. Locks go child then parent; creating a child locks only the parent, so they cannot cross.
   * The CHECK constraint (refunded_amount <= the refund ceiling) stays the last line of defence.
   */
  private async settleReturnOnParent(manager: EntityManager, child: TransactionEntity, from: TxStatus, to: TxStatus, ctx: ChangeContext): Promise<void> {
    if (!child.parentId || !RETURN_TX_TYPES.includes(child.txType) || from === to) return;
    const delta = to === TxStatus.SUCCESSFUL ? child.amount : from === TxStatus.SUCCESSFUL ? -child.amount : 0n;
    if (delta === 0n) return;
    const parent = await this.lock(manager, child.parentId);
    const refunded = parent.refundedAmount + delta;
    if (refunded < 0n || refunded > refundCeiling(parent)) {
      throw new DomainError(
        ErrorCode.REFUND_EXCEEDS_AMOUNT,
        `${child.txType} ${child.id} would take ${parent.id}'s refunded amount to ${refunded} of ${refundCeiling(parent)}`,
      );
    }
    await this.write(manager, parent, parent.status, { refundedAmount: refunded });
    await this.appendEvent(manager, parent, 'refunded', parent.status, parent.status, {
      source: ctx.source,
      actor: ctx.actor,
      reason: `${child.txType} ${child.id} ${to}`,
      data: { childId: child.id, delta: delta.toString(), refundedAmount: refunded.toString() },
    });
    const type = delta > 0n ? TRANSACTION_REFUNDED_EVENT : TRANSACTION_REFUND_REVERTED_EVENT;
    await insertRows(
      manager,
      OutboxEntity,
      outboxRow(parent, parent.status, type, { refund: { id: child.id, txType: child.txType, amount: asJsonInteger(child.amount), status: to } }),
    );
  }

  private async find(manager: EntityManager, txId: string): Promise<TransactionEntity> {
    const tx = await manager.findOneBy(TransactionEntity, { id: txId });
    if (!tx) throw new TransactionNotFoundError(txId);
    return tx;
  }

  private async write(
    manager: EntityManager,
    tx: TransactionEntity,
    to: TxStatus,
    patch: TransactionPatch,
    extra: Partial<TransactionEntity> = {},
  ): Promise<void> {
    const changes = changesFor(tx, to, { ...patch, ...extra });
    await updateRows(manager, TransactionEntity, changes, 'id = :id', { id: tx.id });
    Object.assign(tx, changes);
  }

  private async appendEvent(
    manager: EntityManager,
    tx: TransactionEntity,
    kind: string,
    from: TxStatus | null,
    to: TxStatus | null,
    ctx: ChangeContext,
  ): Promise<void> {
    await insertRows(manager, TransactionEventEntity, eventRow(tx, kind, from, to, ctx));
  }

  private async appendOutbox(manager: EntityManager, tx: TransactionEntity, from: TxStatus | null): Promise<void> {
    await insertRows(manager, OutboxEntity, outboxRow(tx, from));
  }
}

function eventRow(tx: TransactionEntity, kind: string, from: TxStatus | null, to: TxStatus | null, ctx: ChangeContext): Partial<TransactionEventEntity> {
  return {
    transactionId: tx.id,
    kind,
    fromStatus: from,
    toStatus: to,
    source: ctx.source,
    actor: ctx.actor ?? null,
    providerCode: truncate(ctx.providerCode, 64),
    providerMessage: truncate(ctx.providerMessage, 512),
    reason: truncate(ctx.reason, 512),
    data: ctx.data ?? null,
    createdAt: new Date(),
  };
}

/** The webhook of a change: typed by the status reached (or by `type`), stamped with the time of the change. */
function outboxRow(
  tx: TransactionEntity,
  from: TxStatus | null,
  type = WEBHOOK_TYPE_BY_STATUS[tx.status],
  extra: Record<string, unknown> = {},
): Partial<OutboxEntity> {
  const eventId = newId('evt');
  const createdAt = new Date();
  return {
    eventId,
    merchantId: tx.merchantId,
    transactionId: tx.id,
    type,
    payload: {
      eventId,
      type,
      createdAt: createdAt.toISOString(),
      previousStatus: from,
      amountChanged: amountChange(tx),
      transaction: presentTransaction(tx),
      ...extra,
    },
    createdAt,
    publishedAt: null,
    statusSyncedAt: null,
  };
}

/** The webhook says when the provider settled another amount than was asked for. */
function amountChange(tx: TransactionEntity): { requested: number; settled: number } | null {
  if (tx.settledAmount === null || tx.settledAmount === undefined || tx.settledAmount === tx.amount) return null;
  return { requested: asJsonInteger(tx.amount), settled: asJsonInteger(tx.settledAmount) };
}

/**
 * Whether moving `tx` to `to` with `patch` writes anything: the same status with nothing new is a no-op
 * (duplicate callbacks land here); a move the table does not allow throws IllegalTransitionError.
 */
function moves(tx: TransactionEntity, to: TxStatus, patch: TransactionPatch): boolean {
  if (tx.status === to) return hasChanges(tx, patch);
  if (!canTransition(tx.status, to)) throw new IllegalTransitionError(tx.id, tx.status, to);
  return true;
}

/** Whether `transition(tx, to, patch)` would write anything, for the row as read (no lock, no I/O; an illegal move counts as a write). */
export function wouldWrite(tx: TransactionEntity, to: TxStatus, patch: TransactionPatch): boolean {
  return tx.status !== to || hasChanges(tx, patch);
}

/** The row's new values for a status change: the patch, the status, the next version, the time. */
function changesFor(tx: TransactionEntity, to: TxStatus, patch: Partial<TransactionEntity>): Partial<TransactionEntity> {
  // A success is no failure: what an earlier unknown outcome recorded (INCONSISTENT) does not outlive it.
  const cleared = to === TxStatus.SUCCESSFUL && patch.failure === undefined && tx.failure ? { failure: null } : {};
  return { ...cleared, ...patch, status: to, version: tx.version + 1, updatedAt: new Date() };
}

function hasChanges(tx: TransactionEntity, patch: TransactionPatch): boolean {
  return Object.entries(patch).some(
    ([key, value]) => JSON.stringify((tx as unknown as Record<string, unknown>)[key], bigintReplacer) !== JSON.stringify(value, bigintReplacer),
  );
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function truncate(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  return value.length > max ? value.slice(0, max) : value;
}
