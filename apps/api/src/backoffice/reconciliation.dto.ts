import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { REPORT_STATUSES, ReportStatus } from '@payhub/reconciliation';
import { PageQueryDto } from './backoffice.dto';

export class ReconciliationReportsQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @Length(1, 32) merchantId?: string;
  @IsOptional() @IsString() @Length(1, 32) provider?: string;
  @IsOptional() @IsIn(REPORT_STATUSES) status?: ReportStatus;
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' }) date?: string;
}

export class RunReconciliationReportDto {
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' }) date: string;
}
