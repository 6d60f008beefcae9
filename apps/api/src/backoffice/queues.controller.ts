import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditService, CurrentStaff, StaffAuth, StaffPrincipal } from '@payhub/backoffice';
import { requestIdOf } from '@payhub/common';
import { QueueAdminService } from '@payhub/observability';
import { QueueJobsQueryDto } from './queues.dto';

/** The console's Queues screen: depth per queue and state, the jobs in a state, retry and remove (audited). */
@ApiTags('backoffice')
@ApiBearerAuth()
@StaffAuth('admin')
@Controller('backoffice/queues')
export class QueuesController {
  constructor(
    private readonly queues: QueueAdminService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every Bull queue with its job counts per state (waiting, active, delayed, failed, completed) and whether it is paused' })
  async list() {
    return { data: await this.queues.summaries(), hasMore: false, nextCursor: null };
  }

  @Get(':queue/jobs')
  @ApiOperation({ summary: 'Jobs of a queue in one state (failed and completed newest first, the others next to run first); pages by nextCursor' })
  jobs(@Param('queue') queue: string, @Query() query: QueueJobsQueryDto) {
    return this.queues.jobs(queue, query.state, Number(query.limit ?? 20), Number(query.startingAfter ?? 0));
  }

  @Get(':queue/jobs/:jobId')
  @ApiOperation({ summary: 'One job: data, attempts, last error' })
  job(@Param('queue') queue: string, @Param('jobId') jobId: string) {
    return this.queues.job(queue, jobId);
  }

  @Post(':queue/jobs/:jobId/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run a failed job again (409 QUEUE_JOB_STATE when it is not failed); audited' })
  async retry(@CurrentStaff() staff: StaffPrincipal, @Param('queue') queue: string, @Param('jobId') jobId: string, @Req() req: FastifyRequest) {
    const { before, after } = await this.queues.retry(queue, jobId);
    await this.audit.record({
      actor: staff,
      action: 'queue_job.retry',
      targetType: 'queue_job',
      targetId: `${queue}/${jobId}`,
      before,
      after,
      requestId: requestIdOf(req),
    });
    return after;
  }

  @Delete(':queue/jobs/:jobId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a job that is not running (409 QUEUE_JOB_STATE while it is active); audited' })
  async remove(@CurrentStaff() staff: StaffPrincipal, @Param('queue') queue: string, @Param('jobId') jobId: string, @Req() req: FastifyRequest): Promise<void> {
    const { before } = await this.queues.remove(queue, jobId);
    await this.audit.record({
      actor: staff,
      action: 'queue_job.remove',
      targetType: 'queue_job',
      targetId: `${queue}/${jobId}`,
      before,
      requestId: requestIdOf(req),
    });
  }
}
