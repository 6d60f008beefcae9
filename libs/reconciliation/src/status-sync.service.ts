import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobOptions, Queue } from 'bull';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { JOB_OPTIONS, JOBS, QUEUES, randomToken } from '@payhub/common';
import { inTransaction, updateRows } from '@payhub/database';
import { ApplyOutcomeService, ApplyResult, CheckStatusUseCase, toTransactionView } from '@payhub/payments';
import { ProviderConfigService } from '@payhub/provider-config';
import { ProviderOutcome, ProviderRegistry } from '@payhub/providers-core';
import {
  DEPOSIT_TX_TYPES,
  FailureCode,
  isFinal,
  OutboxService,
  RETURN_TX_TYPES,
  TransactionEntity,
  TransactionQueryService,
  TransactionStateService,
  TxStatus,
  UNFINISHED_STATUSES,
} from '@payhub/transactions';
import { nextCheckAt, RECONCILIATION_OPTIONS, ReconciliationOptions } from './reconciliation-options';
import { PerKeyLimiter } from './per-key-limiter';
import { StatusCheckEntity } from './status-check.entity';

export interface CheckItem {
  transactionId: string;
  /** The schedule step the job was enqueued for; a job for a step already done is stale. */
  step: number;
}

/** One transaction, or several of one merchant account at a provider with a batch status call. */
export type CheckStatusJob = CheckItem | { batch: CheckItem[] };

export type CheckRunResult = 'stale' | 'settled' | 'checked' | 'expired' | 'error' | 'missing';

const BATCH_SIZE = 50;

/**
 * Status sync: every unfinished transaction gets a status_checks row, is asked about on a backoff
 * schedule (results go through the state machine), and a session still WAITING_INPUT past its
 * provider lifetime gets a last check and is then cancelled as EXPIRED.
 */
@Injectable()
export class StatusSyncService {
  private readonly logger = new Logger(StatusSyncService.name);
  /** Status calls in flight per provider in this process. */
  private readonly limiter: PerKeyLimiter;
  private readonly holder = `${hostname().slice(0, 24)}:${process.pid}:${randomToken(4)}`;
  private dispatches = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.statusSync) private readonly queue: Queue<CheckStatusJob>,
    private readonly checkStatus: CheckStatusUseCase,
    private readonly outcomes: ApplyOutcomeService,
    private readonly state: TransactionStateService,
    private readonly query: TransactionQueryService,
    private readonly registry: ProviderRegistry,
    private readonly providerConfigs: ProviderConfigService,
    private readonly outbox: OutboxService,
    @Inject(RECONCILIATION_OPTIONS) private readonly options: ReconciliationOptions,
  ) {
    this.limiter = new PerKeyLimiter(options.providerConcurrency);
  }

  /**
   * One scheduled pass: enrol what changed (from the outbox), take up deposits whose answer was lost,
   * then lease and enqueue every due check, in batches, until nothing is due or the pass's budget is spent.
   */
  async scan(now = new Date()): Promise<{ enrolled: number; forgotten: number; stale: number; enqueued: number }> {
    const totals = { enrolled: 0, forgotten: 0, stale: await this.enrolStale(now), enqueued: 0 };
    // Enrolment and dispatch take turns, a batch each, so a backlog of one never starves the other.
    const until = Date.now() + this.options.dispatchBudgetMs;
    let enrolling = true;
    let dispatching = true;
    while ((enrolling || dispatching) && Date.now() < until) {
      if (enrolling) {
        const batch = await this.enrolBatch();
        totals.enrolled += batch.enrolled;
        totals.forgotten += batch.forgotten;
        enrolling = batch.more;
      }
      if (dispatching) {
        const batch = await this.dispatchBatch(now);
        totals.enqueued += batch.dispatched;
        dispatching = batch.more || enrolling;
      }
    }
    return totals;
  }

  /**
   * Reads the outbox from its own position: a transaction whose status is now unfinished gets its
   * schedule row (the first check a delay after the change; an existing schedule is kept), a final one
   * loses it. The outbox row is written with the status change, so nothing that changed is missed.
   */
  async enrolFromOutbox(budgetMs = this.options.dispatchBudgetMs): Promise<{ enrolled: number; forgotten: number }> {
    const totals = { enrolled: 0, forgotten: 0 };
    const until = Date.now() + budgetMs;
    for (let more = true; more && Date.now() < until;) {
      const batch = await this.enrolBatch();
      totals.enrolled += batch.enrolled;
      totals.forgotten += batch.forgotten;
      more = batch.more;
    }
    return totals;
  }

  private async enrolBatch(): Promise<{ enrolled: number; forgotten: number; more: boolean }> {
    let enrolled = 0;
    let forgotten = 0;
    const rows = await this.outbox.unsynced(this.options.enrolBatchSize);
    if (!rows.length) return { enrolled, forgotten, more: false };
    const changedAt = new Map<string, Date>();
    for (const row of rows) changedAt.set(row.transactionId, row.createdAt);
    const txs: Array<{ id: string; merchantId: string; status: TxStatus; provider: string | null; account: string | null; createdAt: Date }> =
      await this.dataSource.query(
        `SELECT id, merchant_id AS merchantId, status, provider, provider_account AS account, created_at AS createdAt FROM transactions WHERE id IN (?)`,
        [[...changedAt.keys()]],
      );
    const now = new Date();
    const open = txs.filter((tx) => UNFINISHED_STATUSES.includes(tx.status));
    const done = txs.filter((tx) => isFinal(tx.status)).map((tx) => tx.id);
    if (open.length) {
      const values = open.map((tx) => {
        const expiresAt = new Date(new Date(tx.createdAt).getTime() + this.lifetimeOf(tx.provider));
        return [
          tx.id,
          tx.merchantId,
          tx.provider,
          tx.account,
          0,
          nextCheckAt(changedAt.get(tx.id)!, 0, this.options.checkDelaysMs, expiresAt),
          expiresAt,
          now,
          now,
        ];
      });
      const result: { affectedRows?: number } = await this.dataSource.query(
        `INSERT INTO status_checks (transaction_id, merchant_id, provider, provider_account, step, next_check_at, expires_at, created_at, updated_at) VALUES ?
         ON DUPLICATE KEY UPDATE provider = VALUES(provider), provider_account = VALUES(provider_account)`,
        [values],
      );
      enrolled += Math.min(open.length, result.affectedRows ?? 0);
    }
    if (done.length) {
      const result: { affectedRows?: number } = await this.dataSource.query('DELETE FROM status_checks WHERE transaction_id IN (?)', [done]);
      forgotten += result.affectedRows ?? 0;
    }
    await this.outbox.markSynced(
      rows.map((r) => r.id),
      now,
    );
    return { enrolled, forgotten, more: rows.length >= this.options.enrolBatchSize };
  }

  /**
   * Leases due checks (next_check_at moves to the lease's end, so a dispatched check is not read again
   * while its job waits) and enqueues them; checks of a merchant account at a provider with a batch
   * status call go in jobs of up to 50. A dispatch that dies before enqueueing loses nothing: the lease ends.
   */
  async dispatch(now = new Date()): Promise<number> {
    let dispatched = 0;
    const until = Date.now() + this.options.dispatchBudgetMs;
    for (let more = true; more && Date.now() < until;) {
      const batch = await this.dispatchBatch(now);
      dispatched += batch.dispatched;
      more = batch.more;
    }
    return dispatched;
  }

  private async dispatchBatch(now: Date): Promise<{ dispatched: number; more: boolean }> {
    const token = `${this.holder}:${++this.dispatches}`;
    const leased: { affectedRows?: number } = await this.dataSource.query(
      'UPDATE status_checks SET dispatch_token = ?, next_check_at = ? WHERE next_check_at <= ? ORDER BY next_check_at LIMIT ?',
      [token, new Date(now.getTime() + this.options.dispatchLeaseMs), now, this.options.dispatchBatchSize],
    );
    if (!leased.affectedRows) return { dispatched: 0, more: false };
    const due: Array<{ transactionId: string; step: number; merchantId: string; provider: string | null; account: string | null }> =
      await this.dataSource.query(
        'SELECT transaction_id AS transactionId, step, merchant_id AS merchantId, provider, provider_account AS account FROM status_checks WHERE dispatch_token = ?',
        [token],
      );
    const jobs: Array<{ name: string; data: CheckStatusJob; opts: JobOptions }> = [];
    const batches = new Map<string, CheckItem[]>();
    for (const row of due) {
      const item = { transactionId: row.transactionId, step: Number(row.step) };
      if (row.provider && row.account && this.registry.find(row.provider)?.checkStatusBatch) {
        const key = `${row.merchantId}|${row.provider}|${row.account}`;
        batches.set(key, [...(batches.get(key) ?? []), item]);
      } else {
        jobs.push({
          name: JOBS.checkStatus,
          data: item,
          opts: { ...JOB_OPTIONS.checkStatus, jobId: `${JOBS.checkStatus}:${item.transactionId}:${item.step}` },
        });
      }
    }
    for (const items of batches.values()) {
      for (let i = 0; i < items.length; i += BATCH_SIZE) {
        const batch = items.slice(i, i + BATCH_SIZE);
        jobs.push({
          name: JOBS.checkStatus,
          data: { batch },
          opts: { ...JOB_OPTIONS.checkStatus, jobId: `${JOBS.checkStatus}:batch:${batch[0].transactionId}:${batch[0].step}:${batch.length}` },
        });
      }
    }
    if (jobs.length) await this.queue.addBulk(jobs);
    return { dispatched: due.length, more: (leased.affectedRows ?? 0) >= this.options.dispatchBatchSize };
  }

  async runCheck(job: CheckStatusJob, now = new Date()): Promise<CheckRunResult> {
    if ('batch' in job) {
      const results = await this.runBatch(job.batch, now);
      return results.includes('missing') ? 'missing' : results.includes('error') ? 'error' : 'checked';
    }
    const claim = await this.claim(job, now);
    if (claim.kind !== 'claimed') return claim.kind;
    const checked = await this.checkAlone(claim.tx);
    return this.afterCheck(claim.row, checked, now);
  }

  lifetimeOf(provider: string | null): number {
    if (provider && this.options.sessionLifetimesMs[provider] !== undefined) return this.options.sessionLifetimesMs[provider];
    return (provider ? this.registry.find(provider)?.sessionLifetimeMs : undefined) ?? this.options.defaultSessionLifetimeMs;
  }

  /** Several transactions of one merchant account, asked in one provider call; one missing from the answer is asked alone. */
  private async runBatch(items: CheckItem[], now: Date): Promise<CheckRunResult[]> {
    const claims: Array<{ row: StatusCheckEntity; tx: TransactionEntity }> = [];
    const results: CheckRunResult[] = [];
    for (const item of items) {
      const claim = await this.claim(item, now);
      if (claim.kind === 'claimed') claims.push(claim);
      else results.push(claim.kind);
    }
    if (!claims.length) return results;
    const { merchantId, provider: providerId, providerAccount } = claims[0].tx;
    let answers = new Map<string, ProviderOutcome>();
    try {
      const provider = this.registry.get(providerId!);
      const account = await this.providerConfigs.resolveAccount(merchantId, providerId!, providerAccount!);
      answers = await this.limiter.run(providerId, () =>
        provider.checkStatusBatch!(
          claims.map((c) => toTransactionView(c.tx)),
          account,
        ),
      );
    } catch (error) {
      this.logger.warn({ provider: providerId, merchantId, error: (error as Error).message }, 'batch status check failed; asking one by one');
    }
    for (const { row, tx } of claims) {
      const outcome = answers.get(tx.id);
      const checked = outcome ? await this.apply(tx, outcome) : await this.checkAlone(tx);
      results.push(await this.afterCheck(row, checked, now));
    }
    return results;
  }

  private async claim(
    item: CheckItem,
    now: Date,
  ): Promise<{ kind: 'claimed'; row: StatusCheckEntity; tx: TransactionEntity } | { kind: 'stale' | 'settled' | 'missing' }> {
    const row = await this.dataSource.getRepository(StatusCheckEntity).findOneBy({ transactionId: item.transactionId });
    // The dispatch leased the row (moved next_check_at ahead); the step says whether this check is still to do.
    if (!row || row.step !== item.step) return { kind: 'stale' };
    const tx = await this.query.find(item.transactionId);
    if (!tx) {
      await this.forget(item.transactionId);
      return { kind: 'missing' };
    }
    if (isFinal(tx.status)) {
      await this.forget(tx.id);
      return { kind: 'settled' };
    }
    // The schedule moves on before the provider is asked: a crash mid-check costs one check, never a loop.
    const claimed = await updateRows(
      this.dataSource,
      StatusCheckEntity,
      {
        step: row.step + 1,
        lastCheckedAt: now,
        nextCheckAt: nextCheckAt(now, row.step + 1, this.options.checkDelaysMs, row.expiresAt),
        dispatchToken: null,
        updatedAt: now,
      },
      'transaction_id = :id AND step = :step',
      { id: row.transactionId, step: row.step },
    );
    return claimed ? { kind: 'claimed', row, tx } : { kind: 'stale' };
  }

  private async checkAlone(tx: TransactionEntity): Promise<{ tx: TransactionEntity; result: ApplyResult | null; error: string | null }> {
    try {
      const checked = await this.limiter.run(tx.provider, () => this.checkStatus.check(tx.id, { actor: 'reconciliation' }));
      return this.noted(checked.tx, checked.result, tx.status);
    } catch (error) {
      const message = (error as Error).message?.slice(0, 512) ?? 'status check failed';
      this.logger.warn({ txId: tx.id, error: message }, 'status check failed');
      return { tx, result: null, error: message };
    }
  }

  private async apply(tx: TransactionEntity, outcome: ProviderOutcome): Promise<{ tx: TransactionEntity; result: ApplyResult | null; error: string | null }> {
    const applied = await this.outcomes.apply(tx.id, outcome, { source: 'status_check', actor: 'reconciliation' });
    return this.noted(applied.tx, applied.result, tx.status);
  }

  /** The state machine records nothing for "no news"; the history should still show the provider was asked. */
  private async noted(tx: TransactionEntity, result: ApplyResult, before: TxStatus) {
    if (result === 'duplicate' && !isFinal(tx.status)) {
      await this.state.note(tx.id, { source: 'status_check', actor: 'reconciliation', reason: `status check: still ${before}` });
    }
    return { tx, result, error: null };
  }

  private async afterCheck(
    row: StatusCheckEntity,
    checked: { tx: TransactionEntity; result: ApplyResult | null; error: string | null },
    now: Date,
  ): Promise<CheckRunResult> {
    let tx = checked.tx;
    let result: CheckRunResult = checked.error ? 'error' : 'checked';
    let lastResult: string | null = checked.result;
    if (tx.status === TxStatus.WAITING_INPUT && row.expiresAt <= now && (await this.expire(tx.id, row))) {
      result = 'expired';
      lastResult = 'expired';
      tx = await this.query.get(tx.id);
    }
    if (isFinal(tx.status)) await this.forget(tx.id);
    else
      await updateRows(this.dataSource, StatusCheckEntity, { lastResult, lastError: checked.error, updatedAt: new Date() }, 'transaction_id = :id', {
        id: tx.id,
      });
    return result;
  }

  /**
   * Deposits, refunds and reversals still REGISTERED long after creation lost their provider answer (the
   * process died, or the write after the call failed); they never changed status, so the outbox says nothing.
   * Read on the (status, updated_at) index: only old REGISTERED rows are looked at.
   */
  private async enrolStale(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() - this.options.staleRegisteredAfterMs);
    const fresh: Array<{ id: string; merchantId: string; provider: string | null; account: string | null; createdAt: Date }> = await this.dataSource.query(
      `SELECT t.id, t.merchant_id AS merchantId, t.provider, t.provider_account AS account, t.created_at AS createdAt
         FROM transactions t LEFT JOIN status_checks s ON s.transaction_id = t.id
        WHERE t.status = ? AND t.updated_at < ? AND t.tx_type IN (?) AND t.created_at < ? AND s.transaction_id IS NULL
        LIMIT ?`,
      [TxStatus.REGISTERED, cutoff, [...DEPOSIT_TX_TYPES, ...RETURN_TX_TYPES], cutoff, this.options.scanBatchSize],
    );
    if (!fresh.length) return 0;
    const rows = fresh.map((tx) => {
      const createdAt = new Date(tx.createdAt);
      const expiresAt = new Date(createdAt.getTime() + this.lifetimeOf(tx.provider));
      return {
        transactionId: tx.id,
        merchantId: tx.merchantId,
        provider: tx.provider,
        providerAccount: tx.account,
        step: 0,
        nextCheckAt: now,
        expiresAt,
        lastCheckedAt: null,
        lastResult: null,
        lastError: null,
        dispatchToken: null,
        createdAt: now,
        updatedAt: now,
      };
    });
    const result = await this.dataSource.createQueryBuilder().insert().into(StatusCheckEntity).values(rows).orIgnore().updateEntity(false).execute();
    return (result.raw as { affectedRows?: number })?.affectedRows ?? rows.length;
  }

  /** Cancels a session that outlived its provider lifetime, unless it moved on meanwhile (checked under the row lock). */
  private async expire(txId: string, row: StatusCheckEntity): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      const tx = await this.state.lock(manager, txId);
      if (tx.status !== TxStatus.WAITING_INPUT) return false;
      const minutes = Math.round((row.expiresAt.getTime() - tx.createdAt.getTime()) / 60000);
      await this.state.transition(
        txId,
        TxStatus.CANCELLED,
        {
          source: 'system',
          actor: 'reconciliation',
          reason: `session expired: still waiting for the customer after ${minutes} min at ${tx.provider ?? 'the provider'}`,
        },
        {
          failure: { code: FailureCode.EXPIRED, reason: 'The payment session expired before the customer completed it' },
          nextAction: null,
        },
        manager,
      );
      return true;
    });
  }

  private async forget(txId: string): Promise<void> {
    await this.dataSource.createQueryBuilder().delete().from(StatusCheckEntity).where('transaction_id = :txId', { txId }).execute();
  }
}
