import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HandleCallbackUseCase } from '@payhub/payments';
import type { RawCallback } from '@payhub/providers-core';

/**
 * Provider callbacks: `/callbacks/{provider}` and `/callbacks/{provider}/{txId}` (e.g. Interkassa's
 * per-deposit interaction URL). The adapter of the named provider verifies and reads them.
 */
@ApiExcludeController()
@Controller('callbacks')
export class CallbacksController {
  constructor(private readonly callbacks: HandleCallbackUseCase) {}

  @Post(':provider')
  async receive(@Param('provider') provider: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(provider, {}, req, reply);
  }

  @Post(':provider/:txId')
  async receiveForTransaction(
    @Param('provider') provider: string,
    @Param('txId') txId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.answer(provider, { txId }, req, reply);
  }

  private async answer(provider: string, params: Record<string, string>, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const rawBody = (req as FastifyRequest & { rawBody?: Buffer }).rawBody;
    const raw: RawCallback = {
      headers: req.headers,
      query: req.query as Record<string, string>,
      params,
      rawBody: rawBody ? rawBody.toString('utf8') : typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? ''),
      body: req.body,
      contentType: req.headers['content-type'] ?? null,
    };
    const answer = await this.callbacks.handle(provider, raw, { ip: req.ip ?? null });
    void reply.status(answer.status).header('content-type', answer.contentType).send(answer.body);
  }
}
