import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ReportStatus = 'matched' | 'mismatch' | 'unsupported' | 'error';
export const REPORT_STATUSES: readonly ReportStatus[] = ['matched', 'mismatch', 'unsupported', 'error'];

/** One day, one merchant, one provider account: what the provider says against what payhub holds. */
@Entity('reconciliation_reports')
@Index('uq_reconciliation_reports_day', ['reportDate', 'merchantId', 'provider', 'account'], { unique: true })
@Index('ix_reconciliation_reports_merchant', ['merchantId', 'id'])
export class ReconciliationReportEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id: string;
  /** The UTC day covered, YYYY-MM-DD. */
  @Column({ name: 'report_date', type: 'date' }) reportDate: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 32 }) merchantId: string;
  @Column({ type: 'varchar', length: 32 }) provider: string;
  @Column({ type: 'varchar', length: 32 }) account: string;
  @Column({ type: 'varchar', length: 16 }) status: ReportStatus;
  @Column({ name: 'provider_tx_count', type: 'int', default: 0 }) providerTxCount: number;
  @Column({ name: 'payhub_tx_count', type: 'int', default: 0 }) payhubTxCount: number;
  @Column({ name: 'mismatch_count', type: 'int', default: 0 }) mismatchCount: number;
  /** Per currency, minor units as strings: { currency, provider, payhub, difference }. */
  @Column({ type: 'json', nullable: true }) balances: unknown[] | null;
  @Column({ type: 'json', nullable: true }) mismatches: unknown[] | null;
  @Column({ type: 'varchar', length: 512, nullable: true }) error: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
