import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KashaSandboxEngine } from './kasha-sandbox.engine';
import { errorBody, Json, KASHA_PAYOUT_PROCESSING_MS, page, PAYOUT_INPUTS, resultOf, validate } from './kasha-sandbox.catalogue';

/** The customer's pages: 3-D Secure and the bank's confirmation behind a redirect, and Kasha's hosted cashier. */
@Controller('kasha')
export class KashaSandboxPagesController {
  constructor(private readonly engine: KashaSandboxEngine) {}

  /** The page a redirect leads to: 3DS for cards, the bank's confirmation for transfers. */
  @Get('pay/:transactionId')
  payPage(@Param('transactionId') id: string, @Res() reply: FastifyReply): void {
    const tx = this.engine.state.transactions.get(id);
    if (!tx) return void reply.status(404).type('text/html').send('<h1>Unknown transaction</h1>');
    const what = tx.cardMask ? `3-D Secure check for card ${tx.cardMask}` : `Bank transfer confirmation (${tx.optionId ?? 'bank'})`;
    void reply.type('text/html').send(page(`${what}: ${tx.amount} ${tx.currency}`, `/kasha/pay/${tx.id}`));
  }

  @Post('pay/:transactionId')
  async pay(@Param('transactionId') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const tx = this.engine.state.transactions.get(id);
    if (!tx) return void reply.status(404).type('text/html').send('<h1>Unknown transaction</h1>');
    await this.engine.decide(tx, resultOf(req), tx.cardMask ? '3ds' : 'bank', reply);
  }

  /** Kasha's hosted cashier (also the target of hybrid links): one payment per session, 30 minutes. */
  @Get('cashier/:sessionId')
  cashierPage(@Param('sessionId') id: string, @Res() reply: FastifyReply): void {
    const session = this.engine.state.sessions.get(id);
    const tx = session ? this.engine.state.transactions.get(session.transactionId) : undefined;
    if (!session || !tx) return void reply.status(404).type('text/html').send('<h1>Unknown session</h1>');
    void reply.type('text/html').send(page(`Kasha cashier: ${tx.amount} ${tx.currency}`, `/kasha/cashier/${session.id}`));
  }

  @Post('cashier/:sessionId')
  async cashierPay(@Param('sessionId') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = this.engine.state.sessions.get(id);
    const tx = session ? this.engine.state.transactions.get(session.transactionId) : undefined;
    if (!session || !tx || session.kind === 'payout' || session.kind === 'hostedPayout')
      return void reply.status(404).type('text/html').send('<h1>Unknown session</h1>');
    if (Date.now() > session.expiresAt) return void reply.status(410).send({ ...errorBody('1000', tx.id), errorReason: 'Session expired.' });
    if (session.used) return void reply.status(409).send(errorBody('3008', tx.id));
    session.used = true;
    tx.method ??= 'Card';
    await this.engine.decide(tx, resultOf(req), 'cashier', reply);
  }

  /** Kasha's hosted payout cashier: the customer enters the beneficiary; one payout per 30-minute session. */
  @Get('payout-cashier/:sessionId')
  payoutCashierPage(@Param('sessionId') id: string, @Res() reply: FastifyReply): void {
    const session = this.engine.state.sessions.get(id);
    const tx = session?.kind === 'hostedPayout' ? this.engine.state.transactions.get(session.transactionId) : undefined;
    if (!session || !tx) return void reply.status(404).type('text/html').send('<h1>Unknown session</h1>');
    const inputs = PAYOUT_INPUTS.map((i) => `<label>${i.label} <input name="${i.name}"${i.required ? ' required' : ''}></label>`).join('<br>');
    void reply
      .type('text/html')
      .send(
        `<!doctype html><html><body><h1>Kasha sandbox</h1><p>Payout of ${tx.amount} ${tx.currency}</p><form method="post" action="/kasha/payout-cashier/${session.id}">${inputs}<button>Send</button></form></body></html>`,
      );
  }

  @Post('payout-cashier/:sessionId')
  async payoutCashierSubmit(@Param('sessionId') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = this.engine.state.sessions.get(id);
    const tx = session?.kind === 'hostedPayout' ? this.engine.state.transactions.get(session.transactionId) : undefined;
    if (!session || !tx) return void reply.status(404).type('text/html').send('<h1>Unknown session</h1>');
    if (Date.now() > session.expiresAt) return void reply.status(410).send({ ...errorBody('1000', tx.id), errorReason: 'Session expired.' });
    if (session.used) return void reply.status(409).send(errorBody('3008', tx.id));
    const details = (req.body && typeof req.body === 'object' ? req.body : {}) as Json;
    const invalid = validate(PAYOUT_INPUTS, details);
    if (invalid) return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: invalid });
    session.used = true;
    tx.method = 'Bank Transfer';
    tx.extraData = Object.fromEntries(PAYOUT_INPUTS.filter((i) => details[i.name] !== undefined).map((i) => [i.name, details[i.name]]));
    // As settle-payout, the simulator notifies a payout's final status only (the processor's), so the
    // cashier itself sends none: the payout stays PENDING, or goes to the processor.
    if (this.engine.state.readings.hostedPayoutConfirmation === 'none') {
      this.engine.state.move(tx, 'PROCESSING', 'hosted payout cashier (no confirmation step)');
      setTimeout(() => void this.engine.finishPayout(tx), KASHA_PAYOUT_PROCESSING_MS);
    } else {
      // As every Kasha payout: PENDING until confirmed in the merchant portal or by settle-payout.
      this.engine.state.move(tx, 'PENDING', 'hosted payout cashier');
    }
    if (tx.redirectUrl) return void reply.status(303).header('location', tx.redirectUrl).send();
    void reply.type('text/html').send(`<h1>Payout ${tx.status}</h1>`);
  }
}
