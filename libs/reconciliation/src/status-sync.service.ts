import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobOptions, Queue } from 'bull';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { JOB_OPTIONS, JOBS, QUEUES, randomToken } from '@payhub/common';
import { inTransaction } from '@payhub/database';
import { ApplyOutcomeService, callProvider, toTransactionView, unchangedBy } from '@payhub/payments';
import { MerchantProviderConfigs, ProviderConfigService } from '@payhub/provider-config';
import { ProviderOutcome, ProviderRegistry, ResolvedAccount } from '@payhub/providers-core';
import {
  ChangeContext,
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

/**
 * One transaction; several of one merchant account at a provider with a batch status call (`batch`: one
 * provider call); or several of one provider asked one by one (`checks`: one job, its rows read and written
 * together).
 */
export type CheckStatusJob = CheckItem | { batch: CheckItem[] } | { checks: CheckItem[] };

export type CheckRunResult = 'stale' | 'settled' | 'checked' | 'expired' | 'error' | 'missing';

const BATCH_SIZE = 50;
const CHECK_CTX: ChangeContext = { source: 'status_check', actor: 'reconciliation' };

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
  private claims = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.statusSync) private readonly queue: Queue<CheckStatusJob>,
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
        totals.enqueued += batch.dispatched;
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
   * A new row whose first check is due already (a backlog: the outbox was read late) is written leased
   * and its check enqueued at once, as a dispatch would, without the dispatch's UPDATE of the row.
   */
  async enrolFromOutbox(budgetMs = this.options.dispatchBudgetMs): Promise<{ enrolled: number; forgotten: number; dispatched: number }> {
    const totals = { enrolled: 0, forgotten: 0, dispatched: 0 };
    const until = Date.now() + budgetMs;
    for (let more = true; more && Date.now() < until;) {
      const batch = await this.enrolBatch();
      totals.enrolled += batch.enrolled;
      totals.forgotten += batch.forgotten;
      totals.dispatched += batch.dispatched;
      more = batch.more;
    }
    return totals;
  }

  private async enrolBatch(): Promise<{ enrolled: number; forgotten: number; dispatched: number; more: boolean }> {
    let enrolled = 0;
    let forgotten = 0;
    let dispatched = 0;
    const rows = await this.outbox.unsynced(this.options.enrolBatchSize);
    if (!rows.length) return { enrolled, forgotten, dispatched, more: false };
    // The transaction's latest change in the batch counts (rows come in id order).
    const changedAt = new Map<string, Date>();
    const byId = new Map<string, { id: string; merchantId: string; status: TxStatus; provider: string | null; account: string | null; createdAt: Date }>();
    for (const row of rows) {
      changedAt.set(row.transactionId, row.createdAt);
      const tx = row.transaction;
      if (tx) byId.set(row.transactionId, { id: row.transactionId, ...tx, account: tx.providerAccount });
    }
    const txs = [...byId.values()];
    const now = new Date();
    const open = txs.filter((tx) => UNFINISHED_STATUSES.includes(tx.status));
    const done = txs.filter((tx) => isFinal(tx.status)).map((tx) => tx.id);
    const token = `${this.holder}:${++this.dispatches}`;
    const leaseEnd = new Date(now.getTime() + this.options.dispatchLeaseMs);
    let leased = 0;
    if (open.length) {
      const values = open.map((tx) => {
        const expiresAt = new Date(new Date(tx.createdAt).getTime() + this.lifetimeOf(tx.provider));
        const next = nextCheckAt(changedAt.get(tx.id)!, 0, this.options.checkDelaysMs, expiresAt);
        const due = next <= now;
        if (due) leased++;
        return [tx.id, tx.merchantId, tx.provider, tx.account, 0, due ? leaseEnd : next, due ? token : null, expiresAt, now, now];
      });
      // An existing row keeps its schedule and its lease: only the provider fields follow the transaction.
      const result: { affectedRows?: number } = await this.dataSource.query(
        `INSERT INTO status_checks (transaction_id, merchant_id, provider, provider_account, step, next_check_at, dispatch_token, expires_at, created_at, updated_at) VALUES ?
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
    // Written leased: enqueued now (a crash before this loses nothing, the lease ends and a dispatch takes them).
    if (leased) dispatched = await this.enqueueLeased(token);
    return { enrolled, forgotten, dispatched, more: rows.length >= this.options.enrolBatchSize };
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
    const dispatched = await this.enqueueLeased(token);
    return { dispatched, more: (leased.affectedRows ?? 0) >= this.options.dispatchBatchSize };
  }

  /** Enqueues the checks of the rows leased under `token`; answers how many. */
  private async enqueueLeased(token: string): Promise<number> {
    const due: Array<{ transactionId: string; step: number; merchantId: string; provider: string | null; account: string | null }> =
      await this.dataSource.query(
        'SELECT transaction_id AS transactionId, step, merchant_id AS merchantId, provider, provider_account AS account FROM status_checks WHERE dispatch_token = ?',
        [token],
      );
    const jobs: Array<{ name: string; data: CheckStatusJob; opts: JobOptions }> = [];
    const batches = new Map<string, CheckItem[]>();
    const chunks = new Map<string, CheckItem[]>();
    const add = (groups: Map<string, CheckItem[]>, key: string, item: CheckItem) => {
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    };
    for (const row of due) {
      const item = { transactionId: row.transactionId, step: Number(row.step) };
      if (row.provider && row.account && this.registry.find(row.provider)?.checkStatusBatch)
        add(batches, `${row.merchantId}|${row.provider}|${row.account}`, item);
      else add(chunks, row.provider ?? '', item);
    }
    for (const items of chunks.values()) {
      for (let i = 0; i < items.length; i += this.options.checkJobSize) {
        const checks = items.slice(i, i + this.options.checkJobSize);
        jobs.push({
          name: JOBS.checkStatus,
          data: { checks },
          opts: { ...JOB_OPTIONS.checkStatus, jobId: `${JOBS.checkStatus}:checks:${checks[0].transactionId}:${checks[0].step}:${checks.length}` },
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
    return due.length;
  }

  async runCheck(job: CheckStatusJob, now = new Date()): Promise<CheckRunResult> {
    const results =
      'batch' in job
        ? await this.runMany(job.batch, now, true)
        : 'checks' in job
          ? await this.runMany(job.checks, now, false)
          : await this.runMany([job], now, false);
    if (results.length === 1) return results[0];
    return results.includes('missing') ? 'missing' : results.includes('error') ? 'error' : 'checked';
  }

  lifetimeOf(provider: string | null): number {
    if (provider && this.options.sessionLifetimesMs[provider] !== undefined) return this.options.sessionLifetimesMs[provider];
    return (provider ? this.registry.find(provider)?.sessionLifetimeMs : undefined) ?? this.options.defaultSessionLifetimeMs;
  }

  /**
   * The checks of one job, a few statements for all of them: claim the rows whose step is still the job's
   * (one UPDATE per step, which moves the schedule on before the provider is asked: a crash mid-check
   * costs one check, never a loop), read the claimed rows and their transactions (two SELECTs), open
   * each merchant's provider config once, ask the provider (`batchCall`: one call for all, else one call
   * each, at most `providerConcurrency` in flight), record every answer that changes nothing (a "still X",
   * or a note the state machine would keep) in one INSERT through the transactions lib, apply only real
   * changes one by one through the state machine (under its row
   * lock), then note the results on the schedule in one UPDATE per result. Two workers holding jobs
   * for the same row never both run its check: the claim is a conditional UPDATE on the step.
   */
  private async runMany(items: CheckItem[], now: Date, batchCall: boolean): Promise<CheckRunResult[]> {
    const rows = await this.claimMany(items, now);
    const results = new Map<string, CheckRunResult>();
    for (const item of items) if (!rows.has(item.transactionId)) results.set(item.transactionId, 'stale');
    if (!rows.size) return items.map((i) => results.get(i.transactionId)!);

    const txs = new Map((await this.query.findMany([...rows.keys()])).map((tx) => [tx.id, tx]));
    const gone: string[] = [];
    const open: TransactionEntity[] = [];
    for (const id of rows.keys()) {
      const tx = txs.get(id);
      if (!tx) results.set(id, 'missing');
      else if (isFinal(tx.status)) results.set(id, 'settled');
      else {
        open.push(tx);
        continue;
      }
      gone.push(id);
    }

    const checked = await this.ask(open, batchCall);
    const notes: Array<{ tx: TransactionEntity; ctx: ChangeContext }> = [];
    const after: Array<{ tx: TransactionEntity; lastResult: string | null; error: string | null }> = [];
    for (const tx of open) {
      const answer = checked.get(tx.id)!;
      if ('error' in answer) {
        after.push({ tx, lastResult: null, error: answer.error });
        continue;
      }
      if (answer.outcome === null) {
        after.push({ tx, lastResult: 'ignored', error: null });
        continue;
      }
      const quiet = unchangedBy(tx, answer.outcome, CHECK_CTX);
      if (quiet) {
        notes.push({ tx, ctx: quiet.result === 'ignored' ? quiet.note : stillCtx(tx.status) });
        after.push({ tx, lastResult: quiet.result, error: null });
        continue;
      }
      try {
        const applied = await this.outcomes.apply(tx.id, answer.outcome, CHECK_CTX);
        // The state machine records nothing for "no news"; the history should still show the provider was asked.
        if (applied.result === 'duplicate' && !isFinal(applied.tx.status)) notes.push({ tx: applied.tx, ctx: stillCtx(tx.status) });
        after.push({ tx: applied.tx, lastResult: applied.result, error: null });
      } catch (error) {
        const message = (error as Error).message?.slice(0, 512) ?? 'status check failed';
        this.logger.warn({ txId: tx.id, error: message }, 'status check failed');
        after.push({ tx, lastResult: null, error: message });
      }
    }
    await this.state.noteMany(notes);

    // Unchanged rows are grouped by what is noted on them: typically one UPDATE for the whole job.
    const groups = new Map<string, { lastResult: string | null; error: string | null; ids: string[] }>();
    for (const entry of after) {
      const row = rows.get(entry.tx.id)!;
      let { tx, lastResult } = entry;
      let result: CheckRunResult = entry.error ? 'error' : 'checked';
      if (tx.status === TxStatus.WAITING_INPUT && row.expiresAt <= now && (await this.expire(tx.id, row.expiresAt))) {
        result = 'expired';
        lastResult = 'expired';
        tx = await this.query.get(tx.id);
      }
      results.set(tx.id, result);
      if (isFinal(tx.status)) {
        gone.push(tx.id);
        continue;
      }
      const key = `${lastResult}\u0000${entry.error}`;
      const group = groups.get(key) ?? { lastResult, error: entry.error, ids: [] };
      group.ids.push(tx.id);
      groups.set(key, group);
    }
    if (gone.length) await this.forget(gone);
    for (const group of groups.values()) {
      await this.dataSource.query(
        'UPDATE status_checks SET last_result = ?, last_error = ?, dispatch_token = NULL, updated_at = ? WHERE transaction_id IN (?) AND dispatch_token = ?',
        [group.lastResult, group.error, new Date(), group.ids, rows.get(group.ids[0])!.token],
      );
    }
    return items.map((i) => results.get(i.transactionId)!);
  }

  /** Claims the rows still at the job's step, in one UPDATE per step; answers the claimed ones. */
  private async claimMany(items: CheckItem[], now: Date): Promise<Map<string, { expiresAt: Date; token: string }>> {
    const token = `${this.holder}:c${++this.claims}`;
    const byStep = new Map<number, string[]>();
    for (const item of items) byStep.set(item.step, [...(byStep.get(item.step) ?? []), item.transactionId]);
    let claimed = 0;
    for (const [step, ids] of byStep) {
      const next = new Date(now.getTime() + this.options.checkDelaysMs[Math.min(step + 1, this.options.checkDelaysMs.length - 1)]);
      // next_check_at as nextCheckAt(): the session's end instead when it comes first and still lies ahead.
      const result: { affectedRows?: number } = await this.dataSource.query(
        `UPDATE status_checks
            SET step = step + 1, last_checked_at = ?, next_check_at = CASE WHEN expires_at > ? AND expires_at < ? THEN expires_at ELSE ? END,
                dispatch_token = ?, updated_at = ?
          WHERE transaction_id IN (?) AND step = ?`,
        [now, now, next, next, token, now, ids, step],
      );
      claimed += result.affectedRows ?? 0;
    }
    if (!claimed) return new Map();
    const rows: Array<{ transactionId: string; expiresAt: Date }> = await this.dataSource.query(
      'SELECT transaction_id AS transactionId, expires_at AS expiresAt FROM status_checks WHERE dispatch_token = ?',
      [token],
    );
    return new Map(rows.map((r) => [r.transactionId, { expiresAt: new Date(r.expiresAt), token }]));
  }

  /**
   * Asks the provider about each transaction: one batch call when `batchCall` (one missing from the answer is asked
   * alone), else one call each, all under the per-provider limit. A provider that throws answers an unknown
   * outcome (callProvider); a config that cannot be resolved is that check's error.
   */
  private async ask(txs: TransactionEntity[], batchCall: boolean): Promise<Map<string, { outcome: ProviderOutcome | null } | { error: string }>> {
    const answers = new Map<string, { outcome: ProviderOutcome | null } | { error: string }>();
    const configs = new Map<string, Promise<MerchantProviderConfigs>>();
    const accountOf = async (tx: TransactionEntity): Promise<ResolvedAccount> => {
      let config = configs.get(tx.merchantId);
      if (!config) {
        config = this.providerConfigs.load(tx.merchantId);
        configs.set(tx.merchantId, config);
      }
      return (await config).resolve(tx.provider!, tx.providerAccount!);
    };
    const alone = async (tx: TransactionEntity): Promise<void> => {
      if (!tx.provider || !tx.providerAccount) return void answers.set(tx.id, { outcome: null });
      try {
        const provider = this.registry.get(tx.provider);
        const account = await accountOf(tx);
        const outcome = await this.limiter.run(tx.provider, () => callProvider(() => provider.checkStatus(toTransactionView(tx), account)));
        answers.set(tx.id, { outcome });
      } catch (error) {
        const message = (error as Error).message?.slice(0, 512) ?? 'status check failed';
        this.logger.warn({ txId: tx.id, error: message }, 'status check failed');
        answers.set(tx.id, { error: message });
      }
    };
    if (batchCall && txs.length) {
      const { merchantId, provider: providerId } = txs[0];
      try {
        const provider = this.registry.get(providerId!);
        const account = await accountOf(txs[0]);
        const batch = await this.limiter.run(providerId, () =>
          provider.checkStatusBatch!(
            txs.map((tx) => toTransactionView(tx)),
            account,
          ),
        );
        for (const tx of txs) if (batch.has(tx.id)) answers.set(tx.id, { outcome: batch.get(tx.id)! });
      } catch (error) {
        this.logger.warn({ provider: providerId, merchantId, error: (error as Error).message }, 'batch status check failed; asking one by one');
      }
    }
    await Promise.all(txs.filter((tx) => !answers.has(tx.id)).map(alone));
    return answers;
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
  private async expire(txId: string, expiresAt: Date): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      const tx = await this.state.lock(manager, txId);
      if (tx.status !== TxStatus.WAITING_INPUT) return false;
      const minutes = Math.round((expiresAt.getTime() - tx.createdAt.getTime()) / 60000);
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

  private async forget(txIds: string[]): Promise<void> {
    await this.dataSource.query('DELETE FROM status_checks WHERE transaction_id IN (?)', [txIds]);
  }
}

/** What a check that found nothing new records: the provider was asked, the status stays. */
function stillCtx(status: TxStatus): ChangeContext {
  return { ...CHECK_CTX, reason: `status check: still ${status}` };
}
