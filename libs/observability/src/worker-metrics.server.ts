import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_CONFIG, AppConfig, MetricsService } from '@payhub/common';

/**
 * The worker has no HTTP app; this small server answers Prometheus at HOST:WORKER_METRICS_PORT/metrics
 * (and /health/live). A port already taken is logged and the worker runs on without it: losing a
 * scrape target shows in Prometheus (`up == 0`), losing the worker would stop payouts and webhooks.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetricsServer.name);
  private server: Server | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** Where it listens, e.g. http://127.0.0.1:9464/metrics; null when it is not listening. */
  get url(): string | null {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/metrics` : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.metrics.enabled) return;
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method === 'GET' && path === '/metrics') {
        this.metrics.render().then(
          (text) => response.writeHead(200, { 'content-type': this.metrics.contentType }).end(text),
          (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(error.message),
        );
      } else if (request.method === 'GET' && path === '/health/live') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    });
    await new Promise<void>((resolve) => {
      server.once('error', (error) => {
        this.logger.error({ error: error.message, host: this.config.host, port: this.config.workerMetricsPort }, 'worker metrics endpoint not started');
        resolve();
      });
      server.listen(this.config.workerMetricsPort, this.config.host, () => {
        this.server = server;
        resolve();
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
