import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobOptions, Queue } from 'bull';
import { DataSource } from 'typeorm';
import { JOB_OPTIONS, JOBS, QUEUES } from '@payhub/common';
import { inTransaction, updateRows } from '@payhub/database';
import { ApplyOutcomeService, ApplyResult, CheckStatusUseCase, toTransactionView } from '@payhub/payments';
import { ProviderConfigService } from '@payhub/provider-config';
import { ProviderOutcome, ProviderRegistry } from '@payhub/providers-core';
import {
  DEPOSIT_TX_TYPES, FailureCode, isFinal, RETURN_TX_TYPES, TransactionEntity, TransactionQueryService, TransactionStateService, TxStatus, UNFINISHED_STATUSES,
} from '@payhub/transactions';
import { nextCheckAt, RECONCILIATION_OPTIONS, ReconciliationOptions } from './reconciliation-options';
import { StatusCheckEntity } from './status-check.entity';

export interface CheckItem {
  transactionId: string;
  /** The schedule step the job was enqueued for; a job for a step already done is stale. */
  step: number;
}

/** One transaction, or several of one merchant account at a provider with a batch status call. */
export type CheckStatusJob = CheckItem | { batch: CheckItem[] };

export type CheckRunResult = 'stale' | 'settled' | 'checked' | 'expired' | 'error';

const BATCH_SIZE = 50;

/**
 * Status sync: every unfinished transaction gets a status_checks row, is asked about on a backoff
 * schedule (results go through the state machine), and a session still WAITING_INPUT past its
 * provider lifetime gets a last check and is then cancelled as EXPIRED.
 */
@Injectable()
export class StatusSyncService {
  private readonly logger = new Logger(StatusSyncService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.statusSync) private readonly queue: Queue<CheckStatusJob>,
    private readonly checkStatus: CheckStatusUseCase,
    private readonly outcomes: ApplyOutcomeService,
    private readonly state: TransactionStateService,
    private readonly query: TransactionQueryService,
    private readonly registry: ProviderRegistry,
    private readonly providerConfigs: ProviderConfigService,
    @Inject(RECONCILIATION_OPTIONS) private readonly options: ReconciliationOptions,
  ) {}

  /** One scheduled pass: enrol new unfinished transactions, forget finished ones, enqueue the due checks. */
  async scan(now = new Date()): Promise<{ enrolled: number; forgotten: number; enqueued: number }> {
    const enrolled = await this.enrol(now);
    const forgotten = await this.dataSource.query(
      'DELETE s FROM status_checks s JOIN transactions t ON t.id = s.transaction_id WHERE t.status NOT IN (?)',
      [[...UNFINISHED_STATUSES, TxStatus.REGISTERED]],
    ).then((r: { affectedRows?: number }) => r.affectedRows ?? 0);
    const due: Array<{ transactionId: string; step: number; merchantId: string; provider: string | null; account: string | null }> = await this.dataSource.query(
      `SELECT s.transaction_id AS transactionId, s.step, t.merchant_id AS merchantId, t.provider, t.provider_account AS account
         FROM status_checks s JOIN transactions t ON t.id = s.transaction_id
        WHERE s.next_check_at <= ? ORDER BY s.next_check_at LIMIT ?`,
      [now, this.options.scanBatchSize],
    );
    const jobs: Array<{ name: string; data: CheckStatusJob; opts: JobOptions }> = [];
    const batches = new Map<string, CheckItem[]>();
    for (const row of due) {
      const item = { transactionId: row.transactionId, step: Number(row.step) };
      if (row.provider && row.account && this.registry.find(row.provider)?.checkStatusBatch) {
        const key = `${row.merchantId}|${row.provider}|${row.account}`;
        batches.set(key, [...(batches.get(key) ?? []), item]);
      } else {
        jobs.push({ name: JOBS.checkStatus, data: item, opts: { ...JOB_OPTIONS.checkStatus, jobId: `${JOBS.checkStatus}:${item.transactionId}:${item.step}` } });
      }
    }
    for (const items of batches.values()) {
      for (let i = 0; i < items.length; i += BATCH_SIZE) {
        const batch = items.slice(i, i + BATCH_SIZE);
        jobs.push({ name: JOBS.checkStatus, data: { batch }, opts: { ...JOB_OPTIONS.checkStatus, jobId: `${JOBS.checkStatus}:batch:${batch[0].transactionId}:${batch[0].step}:${batch.length}` } });
      }
    }
    if (jobs.length) await this.queue.addBulk(jobs);
    return { enrolled, forgotten, enqueued: due.length };
  }

  async runCheck(job: CheckStatusJob, now = new Date()): Promise<CheckRunResult> {
    if ('batch' in job) {
      const results = await this.runBatch(job.batch, now);
      return results.includes('error') ? 'error' : 'checked';
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
      answers = await provider.checkStatusBatch!(claims.map((c) => toTransactionView(c.tx)), account);
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

  private async claim(item: CheckItem, now: Date): Promise<{ kind: 'claimed'; row: StatusCheckEntity; tx: TransactionEntity } | { kind: 'stale' | 'settled' }> {
    const row = await this.dataSource.getRepository(StatusCheckEntity).findOneBy({ transactionId: item.transactionId });
    if (!row || row.step !== item.step || row.nextCheckAt > now) return { kind: 'stale' };
    const tx = await this.query.get(item.transactionId);
    if (isFinal(tx.status)) {
      await this.forget(tx.id);
      return { kind: 'settled' };
    }
    // The schedule moves on before the provider is asked: a crash mid-check costs one check, never a loop.
    const claimed = await updateRows(this.dataSource, StatusCheckEntity, {
      step: row.step + 1,
      lastCheckedAt: now,
      nextCheckAt: nextCheckAt(now, row.step + 1, this.options.checkDelaysMs, row.expiresAt),
      updatedAt: now,
    }, 'transaction_id = :id AND step = :step', { id: row.transactionId, step: row.step });
    return claimed ? { kind: 'claimed', row, tx } : { kind: 'stale' };
  }

  private async checkAlone(tx: TransactionEntity): Promise<{ tx: TransactionEntity; result: ApplyResult | null; error: string | null }> {
    try {
      const checked = await this.checkStatus.check(tx.id, { actor: 'reconciliation' });
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

  private async afterCheck(row: StatusCheckEntity, checked: { tx: TransactionEntity; result: ApplyResult | null; error: string | null }, now: Date): Promise<CheckRunResult> {
    let tx = checked.tx;
    let result: CheckRunResult = checked.error ? 'error' : 'checked';
    let lastResult: string | null = checked.result;
    if (tx.status === TxStatus.WAITING_INPUT && row.expiresAt <= now && (await this.expire(tx.id, row))) {
      result = 'expired';
      lastResult = 'expired';
      tx = await this.query.get(tx.id);
    }
    if (isFinal(tx.status)) await this.forget(tx.id);
    else await updateRows(this.dataSource, StatusCheckEntity, { lastResult, lastError: checked.error, updatedAt: new Date() }, 'transaction_id = :id', { id: tx.id });
    return result;
  }

  private async enrol(now: Date): Promise<number> {
    // Unfinished transactions, and deposits, refunds and reversals whose provider answer was lost (still REGISTERED long after creation).
    const fresh: Array<{ id: string; merchantId: string; provider: string | null; createdAt: Date }> = await this.dataSource.query(
      `SELECT t.id, t.merchant_id AS merchantId, t.provider, t.created_at AS createdAt
         FROM transactions t LEFT JOIN status_checks s ON s.transaction_id = t.id
        WHERE (t.status IN (?) OR (t.status = ? AND t.tx_type IN (?) AND t.created_at < ?)) AND s.transaction_id IS NULL
        ORDER BY t.created_at LIMIT ?`,
      [UNFINISHED_STATUSES, TxStatus.REGISTERED, [...DEPOSIT_TX_TYPES, ...RETURN_TX_TYPES], new Date(now.getTime() - this.options.staleRegisteredAfterMs), this.options.scanBatchSize],
    );
    if (!fresh.length) return 0;
    const rows = fresh.map((tx) => {
      const createdAt = new Date(tx.createdAt);
      const expiresAt = new Date(createdAt.getTime() + this.lifetimeOf(tx.provider));
      return {
        transactionId: tx.id, merchantId: tx.merchantId, provider: tx.provider, step: 0,
        nextCheckAt: nextCheckAt(createdAt, 0, this.options.checkDelaysMs, expiresAt), expiresAt,
        lastCheckedAt: null, lastResult: null, lastError: null, createdAt: now, updatedAt: now,
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
      await this.state.transition(txId, TxStatus.CANCELLED, {
        source: 'system',
        actor: 'reconciliation',
        reason: `session expired: still waiting for the customer after ${minutes} min at ${tx.provider ?? 'the provider'}`,
      }, {
        failure: { code: FailureCode.EXPIRED, reason: 'The payment session expired before the customer completed it' },
        nextAction: null,
      }, manager);
      return true;
    });
  }

  private async forget(txId: string): Promise<void> {
    await this.dataSource.createQueryBuilder().delete().from(StatusCheckEntity).where('transaction_id = :txId', { txId }).execute();
  }
}
