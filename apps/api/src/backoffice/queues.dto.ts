import { IsIn, IsOptional, Matches } from 'class-validator';
import { LISTED_JOB_STATES, ListedJobState } from '@payhub/observability';

export class QueueJobsQueryDto {
  @IsIn(LISTED_JOB_STATES) state: ListedJobState;
  @IsOptional() @Matches(/^([1-9]\d?|100)$/, { message: 'must be an integer 1-100' }) limit?: string;
  /** The `nextCursor` of the previous page (Bull lists jobs by position, so the cursor is one). */
  @IsOptional() @Matches(/^\d{1,6}$/, { message: 'must be a nextCursor of this list' }) startingAfter?: string;
}
