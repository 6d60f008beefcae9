import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { DomainError, JOB_OPTIONS, JOBS, QUEUES, randomToken } from '@payhub/common';
import { ReadReplicas } from '@payhub/database';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far back a report may be asked for: providers' transaction lists do not reach much further. */
export const REPORT_RUN_MAX_AGE_DAYS = 366;

/** Counts stop here: a gauge for a person needs no more, and counting a backlog of millions each refresh would cost seconds. */
export const BACKLOG_COUNT_CAP = 10_000;

export interface StatusSyncBacklog {
  /** Unfinished transactions with a status-check schedule, up to the cap. */
  scheduled: number;
  /** Checks whose time has come and that no dispatch holds (a leased check waits in the queue), up to the cap. */
  due: number;
  /** The cap; `scheduledCapped` / `dueCapped` say that there are more than it. */
  countCap: number;
  scheduledCapped: boolean;
  dueCapped: boolean;
  oldestDueAt: string | null;
  oldestDueAgeSeconds: number | null;
}

/** What the console's Reconciliation screen asks of reconciliation besides the reports: a run now, and the status-sync backlog. */
@Injectable()
export class ReconciliationAdminService {
  constructor(
    @InjectQueue(QUEUES.reports) private readonly reports: Queue,
    private readonly replicas: ReadReplicas,
  ) {}

  /**
   * Enqueues the report of one UTC day for the worker, as the 02:30 timer does. Its own job id, so it
   * neither collides with the scheduled run of that day (kept a week under `daily-report:<day>`) nor
   * is refused as a repeat; running a day again replaces its rows.
   */
  async runReport(date: string, now = new Date()): Promise<{ date: string; jobId: string; queue: string }> {
    const day = new Date(`${date}T00:00:00.000Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date)
      throw DomainError.validation([{ field: 'date', issue: 'must be a calendar day YYYY-MM-DD (UTC)' }]);
    const today = now.toISOString().slice(0, 10);
    if (date > today) throw DomainError.validation([{ field: 'date', issue: `must not be after today (${today}, UTC)` }]);
    const earliest = new Date(Date.parse(`${today}T00:00:00.000Z`) - REPORT_RUN_MAX_AGE_DAYS * DAY_MS).toISOString().slice(0, 10);
    if (date < earliest)
      throw DomainError.validation([{ field: 'date', issue: `must be ${earliest} or later (at most ${REPORT_RUN_MAX_AGE_DAYS} days back)` }]);
    const jobId = `${JOBS.dailyReport}:${date}:run:${now.getTime()}-${randomToken(4)}`;
    await this.reports.add(JOBS.dailyReport, { date }, { ...JOB_OPTIONS.dailyReport, jobId });
    return { date, jobId, queue: QUEUES.reports };
  }

  /** Reads at most BACKLOG_COUNT_CAP + 1 index entries per count and one for the oldest (ix_status_checks_due). */
  async statusSyncBacklog(now = new Date()): Promise<StatusSyncBacklog> {
    const db = await this.replicas.dataSource();
    const cap = BACKLOG_COUNT_CAP;
    const [[due], [all], [oldestRow]] = await Promise.all([
      db.query('SELECT COUNT(*) AS n FROM (SELECT 1 FROM status_checks WHERE next_check_at <= ? LIMIT ?) d', [now, cap + 1]),
      db.query('SELECT COUNT(*) AS n FROM (SELECT 1 FROM status_checks LIMIT ?) d', [cap + 1]),
      db.query('SELECT next_check_at AS at FROM status_checks WHERE next_check_at <= ? ORDER BY next_check_at LIMIT 1', [now]),
    ]);
    const dueCount = Number(due?.n ?? 0);
    const scheduledCount = Number(all?.n ?? 0);
    const oldest = oldestRow?.at ? new Date(oldestRow.at) : null;
    return {
      scheduled: Math.min(scheduledCount, cap),
      due: Math.min(dueCount, cap),
      countCap: cap,
      scheduledCapped: scheduledCount > cap,
      dueCapped: dueCount > cap,
      oldestDueAt: oldest ? oldest.toISOString() : null,
      oldestDueAgeSeconds: oldest ? Math.max(0, Math.floor((now.getTime() - oldest.getTime()) / 1000)) : null,
    };
  }
}
