import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentsModule } from '@payhub/payments';
import { ReconciliationAdminService } from './reconciliation-admin.service';
import { ReconciliationReportEntity } from './reconciliation-report.entity';
import { ReconciliationReportService } from './reconciliation-report.service';
import { DEFAULT_RECONCILIATION_OPTIONS, RECONCILIATION_OPTIONS, ReconciliationOptions } from './reconciliation-options';
import { StatusCheckEntity } from './status-check.entity';
import { StatusSyncService } from './status-sync.service';

export const RECONCILIATION_ENTITIES = [StatusCheckEntity, ReconciliationReportEntity];

@Module({})
export class ReconciliationModule {
  /** `options` let tests shorten the check schedule and session lifetimes; production runs on the defaults. */
  static forRoot(options: Partial<ReconciliationOptions> = {}): DynamicModule {
    return {
      module: ReconciliationModule,
      imports: [TypeOrmModule.forFeature(RECONCILIATION_ENTITIES), PaymentsModule],
      providers: [
        { provide: RECONCILIATION_OPTIONS, useValue: Object.freeze({ ...DEFAULT_RECONCILIATION_OPTIONS, ...options }) },
        StatusSyncService,
        ReconciliationReportService,
        ReconciliationAdminService,
      ],
      exports: [StatusSyncService, ReconciliationReportService, ReconciliationAdminService],
    };
  }
}
