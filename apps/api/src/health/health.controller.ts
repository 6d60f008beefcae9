import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode, MetricsService } from '@payhub/common';
import { ReadinessService } from '@payhub/observability';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly metrics: MetricsService,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'MySQL and Redis reachability: 200 when both answer, 503 otherwise' })
  async health(@Res() reply: FastifyReply): Promise<void> {
    const { ok, checks } = await this.readiness.reachability();
    void reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'error', checks });
  }

  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: 200 while the process answers; checks no dependency (restart it when this fails)' })
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @ApiOperation({
    summary: 'Readiness: MySQL, Redis, migrations applied, a live worker (heartbeat age), outbox lag and status-sync backlog; 503 naming the failing parts',
  })
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const readiness = await this.readiness.check();
    void reply.status(readiness.status === 'ok' ? 200 : 503).send(readiness);
  }

  @Get('metrics')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics of this api process (text exposition format); 404 when METRICS_ENABLED=false' })
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    if (!this.metrics.enabled) throw new DomainError(ErrorCode.ROUTE_NOT_FOUND, 'Metrics are disabled (METRICS_ENABLED=false)');
    void reply
      .status(200)
      .header('content-type', this.metrics.contentType)
      .send(await this.metrics.render());
  }
}
