import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KashaSandboxEngine } from './kasha-sandbox.engine';
import {
  BANKS,
  CARD_INPUTS,
  ERRORS,
  errorBody,
  Json,
  KASHA_SLOW_ANSWER_MS,
  kashaScenario,
  mask,
  PAYIN_BANK_INPUTS,
  SESSION_CODES,
  sleep,
  validate,
  VALIDATION_CODES,
  view,
  baseOf,
} from './kasha-sandbox.catalogue';

/** Kasha's pay-in API: payment options and suboptions, direct, hybrid and hosted payments, refund, status. */
@Controller('kasha')
export class KashaSandboxPayinController {
  constructor(private readonly engine: KashaSandboxEngine) {}

  @Post('v2/payment-options')
  async paymentOptions(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = this.engine.accept(req, reply);
    if (!body) return;
    const missing = ['country', 'currency', 'amount', 'redirectUrl', 'language', 'customer'].filter((f) => body[f] === undefined);
    if (missing.length) return void reply.status(400).send({ ...errorBody('1000'), errorReason: `Missing ${missing.join(', ')}` });
    const scenario = kashaScenario(Number(body.amount));
    if (scenario.kind === 'code' && (SESSION_CODES.has(scenario.code) || VALIDATION_CODES.has(scenario.code)))
      return void reply.status(400).send(errorBody(scenario.code));
    const { session, tx } = this.engine.open(body, 'payin', 'PAYIN');
    const card = this.engine.state.newId();
    const bank = this.engine.state.newId();
    session.paymentOptionIds = { [card]: 'card', [bank]: 'bank' };
    void reply.send({
      transactionId: tx.id,
      sessionId: session.id,
      paymentOptions: [
        { paymentOptionId: card, name: 'Card', logo: null, extraData: CARD_INPUTS },
        { paymentOptionId: bank, name: 'Bank Transfer', logo: null, extraData: [] },
      ],
    });
  }

  @Post('v2/payment-suboptions')
  paymentSuboptions(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const body = this.engine.accept(req, reply);
    if (!body) return;
    const multipart = String(req.headers['content-type'] ?? '').startsWith('multipart/form-data');
    const accepted = this.engine.state.readings.paymentSuboptionsEncoding;
    if (accepted !== 'either' && multipart !== (accepted === 'multipart')) {
      return void reply.status(400).send({
        ...errorBody('1000'),
        errorReason: `payment-suboptions takes Content-Type: ${accepted === 'multipart' ? 'multipart/form-data' : 'application/json'}`,
      });
    }
    const found = this.engine.sessionFor(body, reply, 'payin');
    if (!found) return;
    if (found.session.paymentOptionIds[String(body.paymentOptionId)] !== 'bank')
      return void reply.status(400).send({ ...errorBody('1000'), errorReason: 'Suboptions are not used for this payment option' });
    void reply.send({
      statusCode: '085',
      resultType: 'option_choice',
      result: { paymentOptionId: body.paymentOptionId, transactionId: found.tx.id, sessionId: found.session.id, options: BANKS, formInputs: PAYIN_BANK_INPUTS },
    });
  }

  @Post('v2/direct-payment')
  async directPayment(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = this.engine.accept(req, reply);
    if (!body) return;
    const found = this.engine.sessionFor(body, reply, 'payin');
    if (!found) return;
    const { session, tx } = found;
    const kind = session.paymentOptionIds[String(body.paymentOptionId)];
    if (!kind) return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: 'Unknown paymentOptionId' });
    const extraData = (body.extraData && typeof body.extraData === 'object' ? body.extraData : {}) as Json;
    const inputs = kind === 'card' ? CARD_INPUTS : PAYIN_BANK_INPUTS;
    const invalid = validate(inputs, extraData);
    if (invalid) return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: invalid });
    if (kind === 'bank' && !BANKS.some((b) => b.id === body.optionId))
      return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: 'optionId must be one of the suboptions' });
    session.used = true;
    tx.method = kind === 'card' ? 'Card' : 'Bank Transfer';
    tx.optionId = typeof body.optionId === 'string' ? body.optionId : null;
    tx.cardMask = kind === 'card' ? mask(String(extraData.cardnum)) : null;
    tx.extraData = kind === 'card' ? { cardnum: tx.cardMask, cardholder: extraData.cardholder } : extraData;
    this.engine.state.move(tx, 'PENDING', 'direct-payment');

    const scenario = kashaScenario(tx.amount);
    if (scenario.kind === 'error500') return void reply.status(500).send('Internal Server Error');
    if (scenario.kind === 'code') {
      const [status, msg] = ERRORS[scenario.code];
      this.engine.state.move(tx, status === 'ERROR' ? 'ERROR' : 'DECLINED', 'direct-payment', { code: scenario.code, msg });
      if (this.engine.state.readings.notificationOrder === 'beforeAnswer') await this.engine.notify(tx);
      await reply.status(400).send(errorBody(scenario.code, tx.id));
      if (this.engine.state.readings.notificationOrder === 'concurrent') void this.engine.notify(tx);
      return;
    }
    if (kind === 'bank' && this.engine.state.readings.bankDirectPaymentAnswer === 'initial_status') {
      // The other reading of "initial status … in the response": 000, while the transfer is still PENDING.
      void this.engine.notify(tx);
      return void reply.send({
        statusCode: '000',
        resultType: 'success',
        result: { transactionId: tx.id, status: 'PENDING', [this.engine.state.readings.linkField]: `${baseOf(req)}/kasha/pay/${tx.id}` },
      });
    }
    if (kind === 'bank' || scenario.kind === '3ds') {
      return void reply.send({
        statusCode: '300',
        resultType: 'redirect',
        result: { transactionId: tx.id, [this.engine.state.readings.linkField]: `${baseOf(req)}/kasha/pay/${tx.id}` },
      });
    }
    this.engine.state.move(tx, 'COMPLETED', 'direct-payment');
    if (scenario.kind === 'slow') {
      // Kasha took the payment but answers too late: only a status check can tell.
      await sleep(KASHA_SLOW_ANSWER_MS);
    }
    if (this.engine.state.readings.notificationOrder === 'beforeAnswer') await this.engine.notify(tx);
    else void this.engine.notify(tx);
    void reply.send({ statusCode: '000', resultType: 'success', result: { transactionId: tx.id } });
  }

  @Post('v2/hybrid-payment')
  hybridPayment(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const body = this.engine.accept(req, reply);
    if (!body) return;
    const found = this.engine.sessionFor(body, reply, 'payin');
    if (!found) return;
    const kind = found.session.paymentOptionIds[String(body.paymentOptionId)];
    if (!kind) return void reply.status(400).send({ ...errorBody('1000', found.tx.id), errorReason: 'paymentOptionId is mandatory' });
    found.tx.method = kind === 'card' ? 'Card' : 'Bank Transfer';
    found.tx.optionId = typeof body.optionId === 'string' ? body.optionId : null;
    void reply.send({
      statusCode: '300',
      resultType: 'redirect',
      result: { transactionId: found.tx.id, [this.engine.state.readings.linkField]: `${baseOf(req)}/kasha/cashier/${found.session.id}` },
    });
  }

  @Post('v2/hosted-payment')
  hostedPayment(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const body = this.engine.accept(req, reply);
    if (!body) return;
    const missing = ['country', 'currency', 'amount', 'redirectUrl'].filter((f) => body[f] === undefined);
    if (missing.length) return void reply.status(400).send({ ...errorBody('1000'), errorReason: `Missing ${missing.join(', ')}` });
    const scenario = kashaScenario(Number(body.amount));
    if (scenario.kind === 'code' && (SESSION_CODES.has(scenario.code) || VALIDATION_CODES.has(scenario.code)))
      return void reply.status(400).send(errorBody(scenario.code));
    const { session, tx } = this.engine.open(body, 'hosted', 'PAYIN');
    void reply.send({
      sessionId: session.id,
      transactionId: tx.id,
      url: `${baseOf(req)}/kasha/cashier/${session.id}`,
      expiresAt: new Date(session.expiresAt).toISOString(),
    });
  }

  @Post('v2/refund')
  async refund(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = this.engine.accept(req, reply);
    if (!body) return;
    const tx = this.engine.state.byMerchantReference(String(body.merchantReference ?? '')).find((t) => t.type === 'PAYIN' && t.status !== 'PENDING');
    if (!tx) return void reply.status(400).send({ ...errorBody('1000'), errorReason: 'No transaction with this merchantReference' });
    if (tx.status === 'REFUNDED') return void reply.status(400).send(errorBody('3017', tx.id));
    if (tx.status !== 'COMPLETED')
      return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: `Only completed transactions can be refunded; this one is ${tx.status}` });
    this.engine.state.move(tx, 'REFUNDED', 'refund');
    await this.engine.notify(tx);
    void reply.send({
      statusCode: '000',
      errorReason: 'Success',
      paymentAmount: tx.amount,
      status: 'REFUNDED',
      currency: tx.currency,
      country: tx.country,
      paymentOptionName: tx.method,
      userId: tx.userId,
      type: 'All',
      _id: tx.id,
      createdAt: tx.createdAt,
      updatedAt: tx.updatedAt,
    });
  }

  @Get('v2/transactions/:transactionId')
  status(@Param('transactionId') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    if (!this.engine.accept(req, reply)) return;
    const tx = this.engine.state.transactions.get(id);
    if (!tx) return void reply.status(404).send({ statusCode: '404', result: 'Transaction not found.' });
    void reply.send(view(tx));
  }
}
