import { InjectQueue } from '@nestjs/bull';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { QUEUES } from '@payhub/common';

const CHECK_TIMEOUT_MS = 2000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource, @InjectQueue(QUEUES.notifications) private readonly queue: Queue) {}

  @Get()
  @ApiOperation({ summary: 'MySQL and Redis reachability: 200 when both answer, 503 otherwise' })
  async health(@Res() reply: FastifyReply): Promise<void> {
    const [mysql, redis] = await Promise.all([
      probe(() => this.db.query('SELECT 1')),
      probe(() => this.queue.client.ping()),
    ]);
    const ok = mysql.status === 'up' && redis.status === 'up';
    void reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'error', checks: { mysql, redis } });
  }
}

async function probe(check: () => Promise<unknown>): Promise<{ status: 'up' | 'down'; latencyMs: number; error?: string }> {
  const started = performance.now();
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref())]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  }
}
