import { Controller, Get, Injectable, Logger as NestLogger, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, LoggerModule, PinoLogger } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { pino, type LoggerOptions } from 'pino';
import type { AppConfig } from '../config/app-config';
import { installRequestLogging } from './request-logging';
import { loggerOptions, requestIdFor } from './logger-options';

@Injectable()
class PaymentsLike {
  private readonly logger = new NestLogger('PaymentsLike');

  async work(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.logger.warn({ card: { number: '4111111111111111' }, step: 'after an await' }, 'deep in a service');
    return 'done';
  }
}

@Controller()
class PingController {
  constructor(private readonly service: PaymentsLike) {}

  @Post('work')
  work(): Promise<string> {
    return this.service.work();
  }

  @Get('health')
  health(): string {
    return 'ok';
  }

  @Get('boom')
  boom(): never {
    throw new Error('boom');
  }
}

describe('request logging on Fastify hooks', () => {
  const lines: Array<Record<string, any>> = [];
  const raw: string[] = [];
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        raw.push(...chunk.toString().trim().split('\n'));
        lines.push(
          ...chunk
            .toString()
            .trim()
            .split('\n')
            .map((l: string) => JSON.parse(l)),
        );
        done();
      },
    });
    const options = loggerOptions({ logLevel: 'info', env: 'test' } as AppConfig, 'api');
    @Module({
      imports: [LoggerModule.forRoot({ ...options, pinoHttp: [options.pinoHttp as object, sink] })],
      controllers: [PingController],
      providers: [PaymentsLike],
    })
    class LoggingTestModule {}
    app = await NestFactory.create<NestFastifyApplication>(
      LoggingTestModule,
      new FastifyAdapter({ genReqId: (req: unknown) => requestIdFor(req as IncomingMessage) }),
      { bufferLogs: true },
    );
    app.useLogger(app.get(Logger));
    installRequestLogging(app.getHttpAdapter().getInstance(), await app.resolve(PinoLogger));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('binds the request id to every line logged while the request runs, and closes the request with one line', async () => {
    const res = await app.inject({ method: 'POST', url: '/work?x=1', headers: { 'x-request-id': 'req-abc.1' } });
    expect(res.statusCode).toBe(201);
    const mine = lines.filter((l) => l.req?.id === 'req-abc.1');
    expect(mine.map((l) => l.msg)).toEqual(['deep in a service', 'request completed']);
    expect(mine[0]).toMatchObject({ level: 40, context: 'PaymentsLike', step: 'after an await', req: { id: 'req-abc.1', method: 'POST', url: '/work?x=1' } });
    expect(mine[0].card).toBe('[redacted]');
    expect(mine[1]).toMatchObject({ level: 30, res: { statusCode: 201 }, responseTime: expect.any(Number) });
  });

  it('writes the closing line unredacted, byte for byte as a logger with the redaction writes it', async () => {
    await app.inject({ method: 'POST', url: '/work?apiKey=k', headers: { 'x-request-id': 'same-1' } });
    const closing = raw.find((l) => l.includes('"id":"same-1"') && l.includes('request completed'))!;
    const { time, responseTime } = JSON.parse(closing) as { time: number; responseTime: number };
    const written: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        written.push(chunk.toString().trim());
        done();
      },
    });
    // The api's logger options, redaction included, and the closing line's time.
    const options = loggerOptions({ logLevel: 'info', env: 'test' } as AppConfig, 'api').pinoHttp as LoggerOptions;
    pino({ ...options, timestamp: () => `,"time":${time}` }, sink)
      .child({ req: { id: 'same-1', method: 'POST', url: '/work?apiKey=k' } })
      .info({ res: { statusCode: 201 }, responseTime }, 'request completed');
    expect(closing).toBe(written[0]);
  });

  it('gives each request its own id, even under parallel requests', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `par-${i}`);
    await Promise.all(ids.map((id) => app.inject({ method: 'POST', url: '/work', headers: { 'x-request-id': id } })));
    for (const id of ids) {
      expect(lines.filter((l) => l.req?.id === id).map((l) => l.msg)).toEqual(['deep in a service', 'request completed']);
    }
  });

  it('logs a server error at error level and leaves /health out', async () => {
    await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'hc-1' } });
    await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'boom-1' } });
    expect(lines.filter((l) => l.req?.id === 'hc-1')).toEqual([]);
    expect(lines.filter((l) => l.req?.id === 'boom-1' && l.msg === 'request completed')).toEqual([
      expect.objectContaining({ level: 50, res: { statusCode: 500 } }),
    ]);
  });
});
