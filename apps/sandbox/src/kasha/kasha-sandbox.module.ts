import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { KashaSandboxControlController } from './kasha-sandbox.control.controller';
import { KashaSandboxEngine } from './kasha-sandbox.engine';
import { KashaSandboxPagesController } from './kasha-sandbox.pages.controller';
import { KashaSandboxPayinController } from './kasha-sandbox.payin.controller';
import { KashaSandboxPayoutController } from './kasha-sandbox.payout.controller';
import { parseMultipartFields } from './kasha-sandbox.multipart';
import { KashaSandboxState } from './kasha-sandbox.state';

@Module({
  controllers: [KashaSandboxPayinController, KashaSandboxPayoutController, KashaSandboxPagesController, KashaSandboxControlController],
  providers: [KashaSandboxState, KashaSandboxEngine],
  exports: [KashaSandboxState],
})
export class KashaSandboxModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Kasha's document asks for multipart/form-data on payment-suboptions, so the simulator reads it too. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify || fastify.hasContentTypeParser('multipart/form-data')) return;
    fastify.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (req, body, done) => {
      done(null, parseMultipartFields(String(body), String(req.headers['content-type'] ?? '')));
    });
  }
}
