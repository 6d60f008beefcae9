import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { newId } from '@payhub/common';
import { ReadReplicas } from '@payhub/database';
import { ProviderConfigService } from '@payhub/provider-config';
import { PaymentProvider, ProviderRegistry, ResolvedAccount } from '@payhub/providers-core';
import { DEPOSIT_TX_TYPES, Page, TransactionEntity, TxStatus, TxType } from '@payhub/transactions';
import { ReconciliationReportEntity, ReportStatus } from './reconciliation-report.entity';
import { compareBalances, compareTransactions, Mismatch, PayhubTxRecord } from './report-compare';

export interface ReportFilter {
  merchantId?: string;
  provider?: string;
  status?: ReportStatus;
  date?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The daily report: for every merchant's account at every provider, the provider's balances and
 * transaction list against payhub's. Providers answer through the optional port methods
 * (`getBalances`, `listTransactions`); one without them gets an 'unsupported' row.
 */
@Injectable()
export class ReconciliationReportService {
  private readonly logger = new Logger(ReconciliationReportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ProviderRegistry,
    private readonly providerConfigs: ProviderConfigService,
    private readonly replicas: ReadReplicas,
  ) {}

  /** `date` is the UTC day covered (YYYY-MM-DD). Running a day again replaces its rows. */
  async runDaily(date: string): Promise<{ reports: number; mismatched: number }> {
    const from = new Date(`${date}T00:00:00.000Z`);
    const to = new Date(from.getTime() + DAY_MS);
    let reports = 0;
    let mismatched = 0;
    for (const providerId of this.registry.ids()) {
      const provider = this.registry.get(providerId);
      for (const account of await this.providerConfigs.allAccounts(providerId).catch(() => [] as ResolvedAccount[])) {
        const status = await this.reportAccount(date, from, to, provider, account);
        reports++;
        if (status === 'mismatch') mismatched++;
      }
    }
    this.logger.log({ date, reports, mismatched }, 'daily reconciliation report done');
    return { reports, mismatched };
  }

  async reportAccount(date: string, from: Date, to: Date, provider: PaymentProvider, account: ResolvedAccount): Promise<ReportStatus> {
    const key = { reportDate: date, merchantId: account.merchantId, provider: provider.id, account: account.name };
    if (!provider.getBalances && !provider.listTransactions) {
      await this.store({
        ...key,
        status: 'unsupported',
        providerTxCount: 0,
        payhubTxCount: 0,
        mismatchCount: 0,
        balances: null,
        mismatches: null,
        error: null,
      });
      return 'unsupported';
    }
    try {
      const inWindow = await this.payhubTransactions(account, provider.id, 't.created_at >= :from AND t.created_at < :to', { from, to });
      const mismatches: Mismatch[] = [];
      let providerTxCount = 0;
      if (provider.listTransactions) {
        const theirs = await provider.listTransactions(account, from, to);
        providerTxCount = theirs.length;
        const ids = theirs.map((r) => r.txId).filter((id): id is string => !!id);
        const providerIds = theirs.map((r) => r.providerTxId).filter((id): id is string => !!id);
        const byRef =
          ids.length || providerIds.length
            ? await this.payhubTransactions(account, provider.id, '(t.id IN (:...ids) OR t.provider_tx_id IN (:...providerIds))', {
                ids: ids.length ? ids : [''],
                providerIds: providerIds.length ? providerIds : [''],
              })
            : [];
        mismatches.push(...compareTransactions(theirs, inWindow, byRef));
      }
      let balances: unknown[] | null = null;
      if (provider.getBalances) {
        const compared = compareBalances(await provider.getBalances(account), await this.payhubNet(account, provider.id, to));
        balances = compared.lines;
        mismatches.push(...compared.mismatches);
      }
      const status: ReportStatus = mismatches.length ? 'mismatch' : 'matched';
      await this.store({
        ...key,
        status,
        providerTxCount,
        payhubTxCount: inWindow.length,
        mismatchCount: mismatches.length,
        balances,
        mismatches,
        error: null,
      });
      if (mismatches.length) this.logger.warn({ ...key, mismatches: mismatches.length }, 'reconciliation mismatches');
      return status;
    } catch (error) {
      const message = (error as Error).message?.slice(0, 512) ?? 'report failed';
      this.logger.warn({ ...key, error: message }, 'reconciliation report failed');
      await this.store({ ...key, status: 'error', providerTxCount: 0, payhubTxCount: 0, mismatchCount: 0, balances: null, mismatches: null, error: message });
      return 'error';
    }
  }

  /** Reads a read replica when one is configured. */
  async list(filter: ReportFilter, limit: number, startingAfter?: string): Promise<Page<ReturnType<typeof presentReport>>> {
    const qb = (await this.replicas.dataSource()).getRepository(ReconciliationReportEntity).createQueryBuilder('r').where('1 = 1');
    if (filter.merchantId) qb.andWhere('r.merchant_id = :merchantId', { merchantId: filter.merchantId });
    if (filter.provider) qb.andWhere('r.provider = :provider', { provider: filter.provider });
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    if (filter.date) qb.andWhere('r.report_date = :date', { date: filter.date });
    if (startingAfter) qb.andWhere('r.id < :startingAfter', { startingAfter });
    const rows = await qb
      .orderBy('r.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const hasMore = rows.length > limit;
    const data = hasMore ? rows.slice(0, limit) : rows;
    return { data: data.map(presentReport), hasMore, nextCursor: hasMore ? data[data.length - 1].id : null };
  }

  private async payhubTransactions(account: ResolvedAccount, provider: string, where: string, params: Record<string, unknown>): Promise<PayhubTxRecord[]> {
    const rows = await this.dataSource
      .getRepository(TransactionEntity)
      .createQueryBuilder('t')
      .select(['t.id', 't.providerTxId', 't.status', 't.amount', 't.currency'])
      .where('t.merchant_id = :merchantId AND t.provider = :provider AND t.provider_account = :account', {
        merchantId: account.merchantId,
        provider,
        account: account.name,
      })
      .andWhere(where, params)
      .getMany();
    return rows.map((t) => ({ id: t.id, providerTxId: t.providerTxId, status: t.status, amount: t.amount, currency: t.currency }));
  }

  /** Money in minus money out through this account, successful transactions only, up to `to`. */
  private async payhubNet(account: ResolvedAccount, provider: string, to: Date): Promise<Map<string, bigint>> {
    const rows: Array<{ currency: string; txType: TxType; total: string }> = await this.dataSource.query(
      `SELECT currency, tx_type AS txType, SUM(amount) AS total FROM transactions
        WHERE merchant_id = ? AND provider = ? AND provider_account = ? AND status = ? AND created_at < ?
        GROUP BY currency, tx_type`,
      [account.merchantId, provider, account.name, TxStatus.SUCCESSFUL, to],
    );
    const net = new Map<string, bigint>();
    for (const row of rows) {
      const sign = DEPOSIT_TX_TYPES.includes(row.txType) ? 1n : -1n;
      net.set(row.currency, (net.get(row.currency) ?? 0n) + sign * BigInt(row.total));
    }
    return net;
  }

  private async store(report: Omit<ReconciliationReportEntity, 'id' | 'createdAt' | 'updatedAt'>): Promise<void> {
    const now = new Date();
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ReconciliationReportEntity)
      .values({ id: newId('rep'), ...report, createdAt: now, updatedAt: now } as QueryDeepPartialEntity<ReconciliationReportEntity>)
      .orUpdate(
        ['status', 'provider_tx_count', 'payhub_tx_count', 'mismatch_count', 'balances', 'mismatches', 'error', 'updated_at'],
        ['report_date', 'merchant_id', 'provider', 'account'],
      )
      .updateEntity(false)
      .execute();
  }
}

export function presentReport(r: ReconciliationReportEntity) {
  return {
    id: r.id,
    date: r.reportDate,
    merchantId: r.merchantId,
    provider: r.provider,
    account: r.account,
    status: r.status,
    mismatchFlagged: r.status === 'mismatch',
    providerTxCount: r.providerTxCount,
    payhubTxCount: r.payhubTxCount,
    mismatchCount: r.mismatchCount,
    balances: r.balances,
    mismatches: r.mismatches,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
