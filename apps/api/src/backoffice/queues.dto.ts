import { IsIn, IsOptional, Matches } from 'class-validator';
import { LISTED_JOB_STATES, ListedJobState } from '@payhub/observability';

export class QueueJobsQueryDto {
  @IsIn(LISTED_JOB_STATES) state: ListedJobState;
  @IsOptional() @Matches(/^([1-9]\d?|100)$/, { message: 'must be an integer 1-100' }) limit?: string;
  @IsOptional() @Matches(/^\d{1,6}$/, { message: 'must be an integer 0-999999' }) offset?: string;
}
