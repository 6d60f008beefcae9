import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KashaSandboxEngine } from './kasha-sandbox.engine';
import {
  ERRORS,
  errorBody,
  Json,
  KASHA_PAYOUT_PROCESSING_MS,
  kashaScenario,
  PAYOUT_INPUTS,
  SESSION_CODES,
  validate,
  VALIDATION_CODES,
  baseOf,
} from './kasha-sandbox.catalogue';

/** Kasha's payout API: payout options and suboptions, create, and the settle-payout confirmation. */
@Controller('kasha')
export class KashaSandboxPayoutController {
  constructor(private readonly engine: KashaSandboxEngine) {}

  @Post('v2/payout-options')
  payoutOptions(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const body = this.engine.accept(req, reply);
    if (!body) return;
    const missing = ['country', 'currency', 'amount', 'redirectUrl', 'customer'].filter((f) => body[f] === undefined);
    if (missing.length) return void reply.status(400).send({ ...errorBody('1000'), errorReason: `Missing ${missing.join(', ')}` });
    const scenario = kashaScenario(Number(body.amount));
    if (scenario.kind === 'code' && SESSION_CODES.has(scenario.code)) return void reply.status(400).send(errorBody(scenario.code));
    const { session, tx } = this.engine.open(body, 'payout', 'PAYOUT');
    const bank = this.engine.state.newId();
    session.paymentOptionIds = { [bank]: 'bank' };
    void reply.send([
      { transactionId: tx.id, sessionId: session.id, paymentOptions: [{ paymentOptionId: bank, name: 'Bank Transfer', logo: null, extraData: [] }] },
    ]);
  }

  /** "Get Hosted Cashier link" for payouts: the customer enters the beneficiary at Kasha's cashier. */
  @Post('v2/hosted-payout')
  hostedPayout(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const body = this.engine.accept(req, reply);
    if (!body) return;
    const missing = ['country', 'currency', 'amount', 'redirectUrl', 'customer'].filter((f) => body[f] === undefined);
    if (missing.length) return void reply.status(400).send({ ...errorBody('1000'), errorReason: `Missing ${missing.join(', ')}` });
    const scenario = kashaScenario(Number(body.amount));
    if (scenario.kind === 'code' && SESSION_CODES.has(scenario.code)) return void reply.status(400).send(errorBody(scenario.code));
    const { session, tx } = this.engine.open(body, 'hostedPayout', 'PAYOUT');
    void reply.send({
      sessionId: session.id,
      transactionId: tx.id,
      [this.engine.state.readings.linkField]: `${baseOf(req)}/kasha/payout-cashier/${session.id}`,
      expiresAt: new Date(session.expiresAt).toISOString(),
    });
  }

  @Post('v2/payout-suboptions')
  payoutSuboptions(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const body = this.engine.accept(req, reply);
    if (!body) return;
    const found = this.engine.sessionFor(body, reply, 'payout');
    if (!found) return;
    if (!found.session.paymentOptionIds[String(body.paymentOptionId)])
      return void reply.status(400).send({ ...errorBody('1000'), errorReason: 'Unknown paymentOptionId' });
    void reply.send([
      {
        statusCode: 85,
        resultType: 'option_choice',
        result: {
          paymentOptionId: body.paymentOptionId,
          transactionId: found.tx.id,
          sessionId: found.session.id,
          options: { id: 'd_316', name: 'Bank transfer', logo: null, uuid: this.engine.state.newId(), formInputs: PAYOUT_INPUTS },
        },
      },
    ]);
  }

  @Post('v2/payout')
  createPayout(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const body = this.engine.accept(req, reply);
    if (!body) return;
    const found = this.engine.sessionFor(body, reply, 'payout');
    if (!found) return;
    const { session, tx } = found;
    if (!session.paymentOptionIds[String(body.paymentOptionId)])
      return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: 'Unknown paymentOptionId' });
    const extraData = (body.extraData && typeof body.extraData === 'object' ? body.extraData : {}) as Json;
    const invalid = validate(PAYOUT_INPUTS, extraData);
    if (invalid) return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: invalid });
    const scenario = kashaScenario(tx.amount);
    if (scenario.kind === 'code' && VALIDATION_CODES.has(scenario.code)) {
      this.engine.state.move(tx, 'DECLINED', 'create-payout', { code: scenario.code, msg: ERRORS[scenario.code][1] });
      return void reply.status(400).send(errorBody(scenario.code, tx.id));
    }
    session.used = true;
    tx.method = 'Bank Transfer';
    tx.optionId = typeof body.optionId === 'string' ? body.optionId : null;
    tx.extraData = extraData;
    // Kasha holds every payout PENDING until the merchant settles it.
    this.engine.state.move(tx, 'PENDING', 'create-payout');
    void reply.send({ statusCode: 0, resultType: 'success', result: { transactionId: tx.id } });
  }

  @Post('v2/settle-payout')
  async settlePayout(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = this.engine.accept(req, reply);
    if (!body) return;
    const tx = this.engine.state.transactions.get(String(body.transactionId ?? ''));
    if (!tx || tx.type !== 'PAYOUT') return void reply.status(404).send({ statusCode: '404', result: 'Transaction not found.' });
    if (body.action !== 'APPROVE' && body.action !== 'DECLINE')
      return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: 'action must be APPROVE or DECLINE' });
    if (tx.status !== 'PENDING' || !tx.extraData)
      return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: `Payout is ${tx.status}, not waiting for confirmation` });
    if (body.action === 'DECLINE') {
      this.engine.state.move(tx, 'DECLINED', 'settle-payout DECLINE');
      await this.engine.notify(tx);
      return void reply.send({
        statusCode: '000',
        status: 'DECLINED',
        transactionId: tx.id,
        merchantReference: tx.merchantReference,
        result: 'Payout request was declined.',
      });
    }
    this.engine.state.move(tx, 'PROCESSING', 'settle-payout APPROVE (submitted to the processor)');
    setTimeout(() => void this.engine.finishPayout(tx), KASHA_PAYOUT_PROCESSING_MS);
    void reply.send({
      statusCode: '000',
      status: 'PROCESSING',
      transactionId: tx.id,
      merchantReference: tx.merchantReference,
      result: 'Payout request was submitted successfully.',
    });
  }
}
