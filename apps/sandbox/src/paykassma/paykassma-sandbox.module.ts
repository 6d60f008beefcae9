import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { PaykassmaSandboxController } from './paykassma-sandbox.controller';
import { PaykassmaSandboxState } from './paykassma-sandbox.state';

@Module({
  controllers: [PaykassmaSandboxController],
  providers: [PaykassmaSandboxState],
  exports: [PaykassmaSandboxState],
})
export class PaykassmaSandboxModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** `possible-transaction` takes form-data with the screenshot as a file (Itau manual); files become `<type, n bytes>`. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance() as FastifyInstance | undefined;
    if (!fastify) return;
    const controller = this.moduleRef.get(PaykassmaSandboxController, { strict: true });
    fastify.get('/paykassma/wallet-type/images/', (req, reply) => controller.images(req.query as Record<string, string>, reply));
    if (fastify.hasContentTypeParser('multipart/form-data')) return;
    fastify.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: 10 * 1024 * 1024 }, (req, body, done) => {
      const form = new Response(body as Buffer, { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
      form.then(
        async (data) => {
          const fields: Record<string, string> = {};
          for (const [key, value] of data.entries()) {
            fields[key] = typeof value === 'string' ? value : `<${value.type}, ${(await value.arrayBuffer()).byteLength} bytes>`;
          }
          done(null, fields);
        },
        (error: Error) => done(error, undefined),
      );
    });
  }
}
