export * from './reconciliation-options';
export * from './status-check.entity';
export * from './reconciliation-report.entity';
export * from './report-compare';
export * from './status-sync.service';
export * from './reconciliation-report.service';
export * from './reconciliation.module';
export * from './reconciliation-admin.service';
