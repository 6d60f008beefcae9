import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createSandboxApp } from '../../apps/sandbox/src/create-sandbox-app';

/** The provider simulators over real HTTP on a free port. */
export class TestSandbox {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly url: string,
  ) {}

  static async start(): Promise<TestSandbox> {
    const app = await createSandboxApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    return new TestSandbox(app, `http://127.0.0.1:${port}`);
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
