import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KASHA_DEFAULT_READINGS, KashaSandboxReadings, KashaSandboxSession, KashaSandboxState, KashaSandboxStatus, KashaSandboxTransaction } from './kasha-sandbox.state';

/** Longer than the test timeout (2 s), short enough to keep tests fast. */
export const KASHA_SLOW_ANSWER_MS = 2500;
/** How long an approved payout stays PROCESSING before the simulated processor decides. */
export const KASHA_PAYOUT_PROCESSING_MS = 300;
export const KASHA_SESSION_MS = 30 * 60 * 1000;
/** An API key value the simulator refuses (401), to exercise a misconfigured account. */
export const KASHA_REFUSED_KEY = 'kasha-refused-key';

/** Kasha's error table as the simulator answers it (same codes, Kasha's status, short reasons). */
const ERRORS: Record<string, [status: 'DECLINED' | 'ERROR', reason: string]> = {
  '1000': ['DECLINED', 'Validation error.'], '1001': ['DECLINED', 'Missing phone number.'], '1002': ['DECLINED', 'Invalid document id.'],
  '1003': ['DECLINED', 'Invalid document type.'], '1004': ['DECLINED', 'Invalid phone number.'], '1005': ['DECLINED', 'Invalid bank account format.'],
  '1006': ['DECLINED', 'Invalid zip code.'], '1007': ['DECLINED', 'Low amount received.'], '1008': ['DECLINED', 'Payment amount is too high.'],
  '1009': ['DECLINED', 'Invalid amount.'], '1100': ['ERROR', 'Contact support to confirm payment.'],
  '3000': ['DECLINED', 'Insufficient card funds.'], '3001': ['DECLINED', 'Do not honour.'], '3002': ['DECLINED', 'Untrusted transaction.'],
  '3003': ['DECLINED', 'Abandoned 3DS.'], '3004': ['DECLINED', 'Invalid CVV2/CVC2.'], '3005': ['DECLINED', 'Invalid cardholder name.'],
  '3006': ['DECLINED', 'Exceeded amount limit.'], '3007': ['DECLINED', 'Card expired.'], '3008': ['DECLINED', 'Transaction already in progress.'],
  '3009': ['DECLINED', 'Invalid card number.'], '3010': ['DECLINED', 'Customer has failed 3DS.'], '3011': ['DECLINED', 'No card record.'],
  '3012': ['DECLINED', 'Pickup card.'], '3013': ['DECLINED', 'Charge count limit reached for this card.'], '3014': ['DECLINED', 'Exceeded amount limit.'],
  '3015': ['DECLINED', 'Transaction not permitted to cardholder.'], '3016': ['DECLINED', 'Visa decline.'], '3017': ['DECLINED', 'Duplicate transaction.'],
  '3018': ['DECLINED', 'Payment was not received.'], '3019': ['DECLINED', 'Recalculation.'], '3020': ['DECLINED', 'Transaction amount less than allowed.'],
  '3021': ['DECLINED', 'Country is blocked.'], '3022': ['DECLINED', 'Transaction blocked.'], '3023': ['DECLINED', 'Declined by card Issuer.'],
  '3024': ['DECLINED', 'Card type declined.'], '3025': ['DECLINED', 'Transaction not allowed in country.'], '3026': ['DECLINED', 'Mastercard Decline.'],
  '994': ['DECLINED', 'Unidentified subject.'], '995': ['DECLINED', 'No payment options were found.'], '996': ['DECLINED', 'Currency conversion error.'],
  '997': ['DECLINED', 'No route was found.'], '998': ['DECLINED', 'Adapter timeout.'], '999': ['DECLINED', 'Miscellaneous error.'],
};

const SESSION_CODES = new Set(['995', '996', '997']);
const VALIDATION_CODES = new Set(['1000', '1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008', '1009']);

const CARD_INPUTS = [
  { label: 'Card Number', name: 'cardnum', type: 'string', values: [], required: true, validations: { minLength: 12, maxLength: 19 } },
  { label: 'Owner', name: 'cardholder', type: 'string', values: [], required: true, validations: { minLength: 2, maxLength: 64 } },
  { label: 'Expiry year', name: 'expiryyear', type: 'string', values: [], required: true, validations: { minLength: 4, maxLength: 4 } },
  { label: 'Expiry month', name: 'expirymonth', type: 'string', values: [], required: true, validations: { minLength: 2, maxLength: 2 } },
  { label: 'CVV', name: 'cardcvv', type: 'string', values: [], required: true, validations: { minLength: 3, maxLength: 4 } },
];
const PAYIN_BANK_INPUTS = [
  { label: 'Document', name: 'document', type: 'string', values: [], required: true, validations: { minLength: 8, maxLength: 14 } },
  { label: 'phone', name: 'phone', type: 'string', values: [], required: false, validations: { minLength: 11, maxLength: 18 } },
];
const PAYOUT_INPUTS = [
  { label: 'Beneficiary\'s name', name: 'name', type: 'string', values: [], required: true, validations: { minLength: 5, maxLength: 100 } },
  { label: 'Beneficiary\'s document', name: 'document', type: 'string', values: [], required: true, validations: { minLength: 8, maxLength: 14 } },
  { label: 'Account number', name: 'account', type: 'string', values: [], required: true, validations: { minLength: 6, maxLength: 34 } },
  { label: 'Account type', name: 'accountType', type: 'string', values: ['checking', 'savings'], required: false, validations: null },
  { label: 'Beneficiary\'s phone', name: 'phone', type: 'string', values: [], required: false, validations: null },
];
const BANKS = [{ id: 'b_101', name: 'Banco Sandbox', logo: null }, { id: 'b_102', name: 'Banco Ejemplo', logo: null }];

type Json = Record<string, unknown>;
type Scenario = { kind: 'code'; code: string } | { kind: '3ds' } | { kind: 'slow' } | { kind: 'error500' } | { kind: 'normal' };

/** Deterministic outcomes from the amount's whole part (major units); apps/sandbox/README.md lists them. */
export function kashaScenario(amount: number): Scenario {
  const whole = String(Math.trunc(amount));
  if (Object.hasOwn(ERRORS, whole)) return { kind: 'code', code: whole };
  if (whole === '300') return { kind: '3ds' };
  if (whole === '777') return { kind: 'slow' };
  if (whole === '500') return { kind: 'error500' };
  return { kind: 'normal' };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorBody = (code: string, transactionId?: string) => ({ statusCode: code, resultType: 'error', errorReason: ERRORS[code]?.[1] ?? 'Validation error.', result: transactionId ? { transactionId } : {} });

/**
 * Kasha API v2 as its document describes it: sessions with payment option ids, suboptions with
 * validated form inputs, `statusCode`/`resultType` envelopes, the error table, payouts held PENDING
 * until settle-payout, refund by merchant reference, status by transaction id, and a notification
 * to `notificationUrl` on every change. Customer pages stand for 3DS, the bank and the cashier.
 */
@Controller('kasha')
export class KashaSandboxController {
  constructor(private readonly state: KashaSandboxState) {}

  @Post('v2/payment-options')
  async paymentOptions(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = this.accept(req, reply);
    if (!body) return;
    const missing = ['country', 'currency', 'amount', 'redirectUrl', 'language', 'customer'].filter((f) => body[f] === undefined);
    if (missing.length) return void reply.status(400).send({ ...errorBody('1000'), errorReason: `Missing ${missing.join(', ')}` });
    const scenario = kashaScenario(Number(body.amount));
    if (scenario.kind === 'code' && (SESSION_CODES.has(scenario.code) || VALIDATION_CODES.has(scenario.code))) return void reply.status(400).send(errorBody(scenario.code));
    const { session, tx } = this.open(body, 'payin', 'PAYIN');
    const card = this.state.newId();
    const bank = this.state.newId();
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
    const body = this.accept(req, reply);
    if (!body) return;
    const multipart = String(req.headers['content-type'] ?? '').startsWith('multipart/form-data');
    const accepted = this.state.readings.paymentSuboptionsEncoding;
    if (accepted !== 'either' && multipart !== (accepted === 'multipart')) {
      return void reply.status(400).send({ ...errorBody('1000'), errorReason: `payment-suboptions takes Content-Type: ${accepted === 'multipart' ? 'multipart/form-data' : 'application/json'}` });
    }
    const found = this.sessionFor(body, reply, 'payin');
    if (!found) return;
    if (found.session.paymentOptionIds[String(body.paymentOptionId)] !== 'bank') return void reply.status(400).send({ ...errorBody('1000'), errorReason: 'Suboptions are not used for this payment option' });
    void reply.send({
      statusCode: '085', resultType: 'option_choice',
      result: { paymentOptionId: body.paymentOptionId, transactionId: found.tx.id, sessionId: found.session.id, options: BANKS, formInputs: PAYIN_BANK_INPUTS },
    });
  }

  @Post('v2/direct-payment')
  async directPayment(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = this.accept(req, reply);
    if (!body) return;
    const found = this.sessionFor(body, reply, 'payin');
    if (!found) return;
    const { session, tx } = found;
    const kind = session.paymentOptionIds[String(body.paymentOptionId)];
    if (!kind) return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: 'Unknown paymentOptionId' });
    const extraData = (body.extraData && typeof body.extraData === 'object' ? body.extraData : {}) as Json;
    const inputs = kind === 'card' ? CARD_INPUTS : PAYIN_BANK_INPUTS;
    const invalid = validate(inputs, extraData);
    if (invalid) return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: invalid });
    if (kind === 'bank' && !BANKS.some((b) => b.id === body.optionId)) return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: 'optionId must be one of the suboptions' });
    session.used = true;
    tx.method = kind === 'card' ? 'Card' : 'Bank Transfer';
    tx.optionId = typeof body.optionId === 'string' ? body.optionId : null;
    tx.cardMask = kind === 'card' ? mask(String(extraData.cardnum)) : null;
    tx.extraData = kind === 'card' ? { cardnum: tx.cardMask, cardholder: extraData.cardholder } : extraData;
    this.state.move(tx, 'PENDING', 'direct-payment');

    const scenario = kashaScenario(tx.amount);
    if (scenario.kind === 'error500') return void reply.status(500).send('Internal Server Error');
    if (scenario.kind === 'code') {
      const [status, msg] = ERRORS[scenario.code];
      this.state.move(tx, status === 'ERROR' ? 'ERROR' : 'DECLINED', 'direct-payment', { code: scenario.code, msg });
      await reply.status(400).send(errorBody(scenario.code, tx.id));
      return void this.notify(tx);
    }
    if (kind === 'bank' && this.state.readings.bankDirectPaymentAnswer === 'initial_status') {
      // The other reading of "initial status … in the response": 000, while the transfer is still PENDING.
      void this.notify(tx);
      return void reply.send({ statusCode: '000', resultType: 'success', result: { transactionId: tx.id, status: 'PENDING', redirectUrl: `${baseOf(req)}/kasha/pay/${tx.id}` } });
    }
    if (kind === 'bank' || scenario.kind === '3ds') {
      return void reply.send({ statusCode: '300', resultType: 'redirect', result: { transactionId: tx.id, redirectUrl: `${baseOf(req)}/kasha/pay/${tx.id}` } });
    }
    this.state.move(tx, 'COMPLETED', 'direct-payment');
    if (scenario.kind === 'slow') {
      // Kasha took the payment but answers too late: only a status check can tell.
      await sleep(KASHA_SLOW_ANSWER_MS);
    }
    void this.notify(tx);
    void reply.send({ statusCode: '000', resultType: 'success', result: { transactionId: tx.id } });
  }

  @Post('v2/hybrid-payment')
  hybridPayment(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const body = this.accept(req, reply);
    if (!body) return;
    const found = this.sessionFor(body, reply, 'payin');
    if (!found) return;
    const kind = found.session.paymentOptionIds[String(body.paymentOptionId)];
    if (!kind) return void reply.status(400).send({ ...errorBody('1000', found.tx.id), errorReason: 'paymentOptionId is mandatory' });
    found.tx.method = kind === 'card' ? 'Card' : 'Bank Transfer';
    found.tx.optionId = typeof body.optionId === 'string' ? body.optionId : null;
    void reply.send({ statusCode: '300', resultType: 'redirect', result: { transactionId: found.tx.id, redirectUrl: `${baseOf(req)}/kasha/cashier/${found.session.id}` } });
  }

  @Post('v2/hosted-payment')
  hostedPayment(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const body = this.accept(req, reply);
    if (!body) return;
    const missing = ['country', 'currency', 'amount', 'redirectUrl'].filter((f) => body[f] === undefined);
    if (missing.length) return void reply.status(400).send({ ...errorBody('1000'), errorReason: `Missing ${missing.join(', ')}` });
    const scenario = kashaScenario(Number(body.amount));
    if (scenario.kind === 'code' && (SESSION_CODES.has(scenario.code) || VALIDATION_CODES.has(scenario.code))) return void reply.status(400).send(errorBody(scenario.code));
    const { session, tx } = this.open(body, 'hosted', 'PAYIN');
    void reply.send({ sessionId: session.id, transactionId: tx.id, url: `${baseOf(req)}/kasha/cashier/${session.id}`, expiresAt: new Date(session.expiresAt).toISOString() });
  }

  @Post('v2/payout-options')
  payoutOptions(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const body = this.accept(req, reply);
    if (!body) return;
    const missing = ['country', 'currency', 'amount', 'redirectUrl', 'customer'].filter((f) => body[f] === undefined);
    if (missing.length) return void reply.status(400).send({ ...errorBody('1000'), errorReason: `Missing ${missing.join(', ')}` });
    const scenario = kashaScenario(Number(body.amount));
    if (scenario.kind === 'code' && SESSION_CODES.has(scenario.code)) return void reply.status(400).send(errorBody(scenario.code));
    const { session, tx } = this.open(body, 'payout', 'PAYOUT');
    const bank = this.state.newId();
    session.paymentOptionIds = { [bank]: 'bank' };
    void reply.send([{ transactionId: tx.id, sessionId: session.id, paymentOptions: [{ paymentOptionId: bank, name: 'Bank Transfer', logo: null, extraData: [] }] }]);
  }

  @Post('v2/payout-suboptions')
  payoutSuboptions(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const body = this.accept(req, reply);
    if (!body) return;
    const found = this.sessionFor(body, reply, 'payout');
    if (!found) return;
    if (!found.session.paymentOptionIds[String(body.paymentOptionId)]) return void reply.status(400).send({ ...errorBody('1000'), errorReason: 'Unknown paymentOptionId' });
    void reply.send([{
      statusCode: 85, resultType: 'option_choice',
      result: {
        paymentOptionId: body.paymentOptionId, transactionId: found.tx.id, sessionId: found.session.id,
        options: { id: 'd_316', name: 'Bank transfer', logo: null, uuid: this.state.newId(), formInputs: PAYOUT_INPUTS },
      },
    }]);
  }

  @Post('v2/payout')
  createPayout(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const body = this.accept(req, reply);
    if (!body) return;
    const found = this.sessionFor(body, reply, 'payout');
    if (!found) return;
    const { session, tx } = found;
    if (!session.paymentOptionIds[String(body.paymentOptionId)]) return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: 'Unknown paymentOptionId' });
    const extraData = (body.extraData && typeof body.extraData === 'object' ? body.extraData : {}) as Json;
    const invalid = validate(PAYOUT_INPUTS, extraData);
    if (invalid) return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: invalid });
    const scenario = kashaScenario(tx.amount);
    if (scenario.kind === 'code' && VALIDATION_CODES.has(scenario.code)) {
      this.state.move(tx, 'DECLINED', 'create-payout', { code: scenario.code, msg: ERRORS[scenario.code][1] });
      return void reply.status(400).send(errorBody(scenario.code, tx.id));
    }
    session.used = true;
    tx.method = 'Bank Transfer';
    tx.optionId = typeof body.optionId === 'string' ? body.optionId : null;
    tx.extraData = extraData;
    // Kasha holds every payout PENDING until the merchant settles it.
    this.state.move(tx, 'PENDING', 'create-payout');
    void reply.send({ statusCode: 0, resultType: 'success', result: { transactionId: tx.id } });
  }

  @Post('v2/settle-payout')
  async settlePayout(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = this.accept(req, reply);
    if (!body) return;
    const tx = this.state.transactions.get(String(body.transactionId ?? ''));
    if (!tx || tx.type !== 'PAYOUT') return void reply.status(404).send({ statusCode: '404', result: 'Transaction not found.' });
    if (body.action !== 'APPROVE' && body.action !== 'DECLINE') return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: 'action must be APPROVE or DECLINE' });
    if (tx.status !== 'PENDING' || !tx.extraData) return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: `Payout is ${tx.status}, not waiting for confirmation` });
    if (body.action === 'DECLINE') {
      this.state.move(tx, 'DECLINED', 'settle-payout DECLINE');
      await this.notify(tx);
      return void reply.send({ statusCode: '000', status: 'DECLINED', transactionId: tx.id, merchantReference: tx.merchantReference, result: 'Payout request was declined.' });
    }
    this.state.move(tx, 'PROCESSING', 'settle-payout APPROVE (submitted to the processor)');
    setTimeout(() => void this.finishPayout(tx), KASHA_PAYOUT_PROCESSING_MS);
    void reply.send({ statusCode: '000', status: 'PROCESSING', transactionId: tx.id, merchantReference: tx.merchantReference, result: 'Payout request was submitted successfully.' });
  }

  @Post('v2/refund')
  async refund(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = this.accept(req, reply);
    if (!body) return;
    const tx = this.state.byMerchantReference(String(body.merchantReference ?? '')).find((t) => t.type === 'PAYIN' && t.status !== 'PENDING');
    if (!tx) return void reply.status(400).send({ ...errorBody('1000'), errorReason: 'No transaction with this merchantReference' });
    if (tx.status === 'REFUNDED') return void reply.status(400).send(errorBody('3017', tx.id));
    if (tx.status !== 'COMPLETED') return void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: `Only completed transactions can be refunded; this one is ${tx.status}` });
    this.state.move(tx, 'REFUNDED', 'refund');
    await this.notify(tx);
    void reply.send({
      statusCode: '000', errorReason: 'Success', paymentAmount: tx.amount, status: 'REFUNDED', currency: tx.currency, country: tx.country,
      paymentOptionName: tx.method, userId: tx.userId, type: 'All', _id: tx.id, createdAt: tx.createdAt, updatedAt: tx.updatedAt,
    });
  }

  @Get('v2/transactions/:transactionId')
  status(@Param('transactionId') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    if (!this.accept(req, reply)) return;
    const tx = this.state.transactions.get(id);
    if (!tx) return void reply.status(404).send({ statusCode: '404', result: 'Transaction not found.' });
    void reply.send(view(tx));
  }

  /** The page a redirect leads to: 3DS for cards, the bank's confirmation for transfers. */
  @Get('pay/:transactionId')
  payPage(@Param('transactionId') id: string, @Res() reply: FastifyReply): void {
    const tx = this.state.transactions.get(id);
    if (!tx) return void reply.status(404).type('text/html').send('<h1>Unknown transaction</h1>');
    const what = tx.cardMask ? `3-D Secure check for card ${tx.cardMask}` : `Bank transfer confirmation (${tx.optionId ?? 'bank'})`;
    void reply.type('text/html').send(page(`${what}: ${tx.amount} ${tx.currency}`, `/kasha/pay/${tx.id}`));
  }

  @Post('pay/:transactionId')
  async pay(@Param('transactionId') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const tx = this.state.transactions.get(id);
    if (!tx) return void reply.status(404).type('text/html').send('<h1>Unknown transaction</h1>');
    await this.decide(tx, resultOf(req), tx.cardMask ? '3ds' : 'bank', reply);
  }

  /** Kasha's hosted cashier (also the target of hybrid links): one payment per session, 30 minutes. */
  @Get('cashier/:sessionId')
  cashierPage(@Param('sessionId') id: string, @Res() reply: FastifyReply): void {
    const session = this.state.sessions.get(id);
    const tx = session ? this.state.transactions.get(session.transactionId) : undefined;
    if (!session || !tx) return void reply.status(404).type('text/html').send('<h1>Unknown session</h1>');
    void reply.type('text/html').send(page(`Kasha cashier: ${tx.amount} ${tx.currency}`, `/kasha/cashier/${session.id}`));
  }

  @Post('cashier/:sessionId')
  async cashierPay(@Param('sessionId') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = this.state.sessions.get(id);
    const tx = session ? this.state.transactions.get(session.transactionId) : undefined;
    if (!session || !tx) return void reply.status(404).type('text/html').send('<h1>Unknown session</h1>');
    if (Date.now() > session.expiresAt) return void reply.status(410).send({ ...errorBody('1000', tx.id), errorReason: 'Session expired.' });
    if (session.used) return void reply.status(409).send(errorBody('3008', tx.id));
    session.used = true;
    tx.method ??= 'Card';
    await this.decide(tx, resultOf(req), 'cashier', reply);
  }

  /** Switches a reading the document leaves open; `{}` restores the defaults. */
  @Post('_sandbox/readings')
  setReadings(@Body() body: Partial<KashaSandboxReadings>): KashaSandboxReadings {
    this.state.readings = { ...KASHA_DEFAULT_READINGS, ...body };
    return this.state.readings;
  }

  @Get('_sandbox/transactions/:transactionId')
  inspect(@Param('transactionId') id: string, @Res() reply: FastifyReply): void {
    const tx = this.state.transactions.get(id);
    if (!tx) return void reply.status(404).send({ message: 'unknown transaction' });
    void reply.send(tx);
  }

  @Get('_sandbox/transactions')
  list(@Query('merchantReference') reference: string | undefined) {
    return { data: reference ? this.state.byMerchantReference(reference) : [...this.state.transactions.values()] };
  }

  @Get('_sandbox/requests')
  requests(@Query('contains') needle: string | undefined) {
    return { data: needle ? this.state.requests.filter((r) => JSON.stringify(r).includes(needle)) : this.state.requests };
  }

  /** Re-sends the current state's notification (a repeat, as Kasha's retries would). */
  @Post('_sandbox/transactions/:transactionId/notify')
  async renotify(@Param('transactionId') id: string, @Res() reply: FastifyReply): Promise<void> {
    const tx = this.state.transactions.get(id);
    if (!tx) return void reply.status(404).send({ message: 'unknown transaction' });
    void reply.send({ httpStatus: await this.notify(tx) });
  }

  private async decide(tx: KashaSandboxTransaction, result: string, where: '3ds' | 'bank' | 'cashier', reply: FastifyReply): Promise<void> {
    if (tx.status === 'PENDING') {
      if (result === 'success') {
        const scenario = kashaScenario(tx.amount);
        // In the cashier the amount's decline codes still apply once the customer pays.
        if (where === 'cashier' && scenario.kind === 'code') this.state.move(tx, 'DECLINED', where, { code: scenario.code, msg: ERRORS[scenario.code][1] });
        else this.state.move(tx, 'COMPLETED', where);
      } else if (result === 'abandon') this.state.move(tx, 'DECLINED', where, { code: '3003', msg: ERRORS['3003'][1] });
      else this.state.move(tx, 'DECLINED', where, where === '3ds' ? { code: '3010', msg: ERRORS['3010'][1] } : { code: '3001', msg: ERRORS['3001'][1] });
    }
    const delivered = await this.notify(tx);
    const target = tx.redirectUrl;
    reply.header('x-kasha-notification-status', String(delivered));
    if (target) return void reply.status(303).header('location', target).send();
    void reply.type('text/html').send(`<h1>Payment ${tx.status}</h1>`);
  }

  private async finishPayout(tx: KashaSandboxTransaction): Promise<void> {
    if (tx.status !== 'PROCESSING') return;
    const scenario = kashaScenario(tx.amount);
    if (scenario.kind === 'code') this.state.move(tx, 'DECLINED', 'processor', { code: scenario.code, msg: ERRORS[scenario.code][1] });
    else this.state.move(tx, 'COMPLETED', 'processor');
    await this.notify(tx);
  }

  /**
   * Kasha's notification format is not published; the simulator posts JSON naming the transaction
   * and its status. payhub does not trust it and asks the status endpoint instead.
   */
  private async notify(tx: KashaSandboxTransaction): Promise<number | null> {
    if (!tx.notificationUrl) return null;
    const body = JSON.stringify({ transactionId: tx.id, merchantReference: tx.merchantReference, status: tx.status, paymentAmount: tx.amount, currency: tx.currency, errors: tx.errors, updatedAt: tx.updatedAt });
    const httpStatus = await postOnce(tx.notificationUrl, body);
    tx.notifications.push({ at: new Date().toISOString(), status: tx.status, httpStatus });
    return httpStatus;
  }

  /** Records the request and checks the API key; answers 401 itself and returns null when refused. */
  private accept(req: FastifyRequest, reply: FastifyReply): Json | null {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Json;
    const authHeaders = ['x-api-key', 'authorization', 'api-key', 'apikey'].filter((h) => typeof req.headers[h] === 'string' && req.headers[h] !== '');
    this.state.record({ method: req.method, path: req.url, authHeaders, contentType: req.headers['content-type'] ?? null, body: redactCard(body) });
    // One header at a time: which one Kasha reads is a reading to confirm, switchable for tests.
    const header = this.state.readings.apiKeyHeader;
    const key = typeof req.headers[header] === 'string' ? String(req.headers[header]).replace(/^Bearer\s+/i, '') : undefined;
    if (!key || key === KASHA_REFUSED_KEY) {
      void reply.status(401).send({ statusCode: '401', message: 'Unauthorized' });
      return null;
    }
    return body;
  }

  private open(body: Json, kind: KashaSandboxSession['kind'], type: 'PAYIN' | 'PAYOUT'): { session: KashaSandboxSession; tx: KashaSandboxTransaction } {
    const now = new Date().toISOString();
    const session: KashaSandboxSession = { id: this.state.newId(), kind, transactionId: this.state.newId(), expiresAt: Date.now() + KASHA_SESSION_MS, used: false, paymentOptionIds: {} };
    const tx: KashaSandboxTransaction = {
      id: session.transactionId, sessionId: session.id, type, status: 'PENDING', country: String(body.country), currency: String(body.currency),
      amount: Number(body.amount), method: null, merchantReference: str(body.merchantReference), paymentReference: str(body.paymentReference),
      userId: str(body.userId), notificationUrl: str(body.notificationUrl), redirectUrl: str(body.redirectUrl),
      customer: (body.customer && typeof body.customer === 'object' ? body.customer : null) as Json | null,
      extra: { extra1: body.extra1, extra2: body.extra2, extra3: body.extra3, orderDetails: body.orderDetails, shippingAddress: body.shippingAddress, language: body.language },
      cardMask: null, extraData: null, optionId: null, errors: null, history: [{ at: now, event: `${kind} session opened → PENDING` }], notifications: [], createdAt: now, updatedAt: now,
    };
    this.state.sessions.set(session.id, session);
    this.state.transactions.set(tx.id, tx);
    return { session, tx };
  }

  private sessionFor(body: Json, reply: FastifyReply, kind: 'payin' | 'payout'): { session: KashaSandboxSession; tx: KashaSandboxTransaction } | null {
    const session = this.state.sessions.get(String(body.sessionId ?? ''));
    const tx = session ? this.state.transactions.get(session.transactionId) : undefined;
    if (!session || !tx || (kind === 'payout') !== (session.kind === 'payout')) {
      void reply.status(400).send({ ...errorBody('1000'), errorReason: 'Unknown sessionId' });
      return null;
    }
    if (Date.now() > session.expiresAt) {
      void reply.status(400).send({ ...errorBody('1000', tx.id), errorReason: 'Session expired.' });
      return null;
    }
    if (session.used) {
      void reply.status(400).send(errorBody('3008', tx.id));
      return null;
    }
    return { session, tx };
  }
}

/**
 * One POST on a fresh connection: a pooled keep-alive socket would hold the receiving server open
 * long after the notification (its close waits for idle clients).
 */
function postOnce(url: string, body: string): Promise<number | null> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve(null);
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: 'POST', agent: false, timeout: 10_000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end(body);
  });
}

function validate(inputs: typeof PAYOUT_INPUTS | typeof CARD_INPUTS, data: Json): string | null {
  for (const input of inputs) {
    const value = data[input.name];
    if (value === undefined || value === null || value === '') {
      if (input.required) return `${input.name} is required`;
      continue;
    }
    const text = String(value);
    const v = input.validations as { minLength?: number; maxLength?: number } | null;
    if (v?.minLength !== undefined && text.length < v.minLength) return `${input.name} is shorter than ${v.minLength}`;
    if (v?.maxLength !== undefined && text.length > v.maxLength) return `${input.name} is longer than ${v.maxLength}`;
    if (input.values.length && !(input.values as string[]).includes(text)) return `${input.name} must be one of ${input.values.join(', ')}`;
  }
  return null;
}

function view(tx: KashaSandboxTransaction): Json {
  return {
    id: tx.id, sessionId: tx.sessionId, country: tx.country, currency: tx.currency, paymentAmount: tx.amount, method: tx.method, status: tx.status,
    paymentReference: tx.paymentReference, merchantReference: tx.merchantReference, customer: tx.customer,
    orderDetails: tx.extra.orderDetails ?? [], errors: tx.errors ?? undefined, createdAt: tx.createdAt, updatedAt: tx.updatedAt,
  };
}

function page(title: string, action: string): string {
  return `<!doctype html><html><body><h1>Kasha sandbox</h1><p>${title.replace(/</g, '&lt;')}</p>
<form method="post" action="${action}"><input type="hidden" name="result" value="success"><button>Pay</button></form>
<form method="post" action="${action}"><input type="hidden" name="result" value="fail"><button>Fail</button></form>
<form method="post" action="${action}"><input type="hidden" name="result" value="abandon"><button>Abandon</button></form></body></html>`;
}

function resultOf(req: FastifyRequest): string {
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Json;
  const result = String(body.result ?? (req.query as Json)?.result ?? 'success');
  return ['success', 'fail', 'abandon'].includes(result) ? result : 'success';
}

function baseOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host}`;
}

function mask(pan: string): string {
  return `${pan.slice(0, 6)}******${pan.slice(-4)}`;
}

function redactCard(body: Json): Json {
  const extra = body.extraData && typeof body.extraData === 'object' ? { ...(body.extraData as Json) } : null;
  if (extra && typeof extra.cardnum === 'string') extra.cardnum = mask(extra.cardnum);
  if (extra && 'cardcvv' in extra) extra.cardcvv = '***';
  return extra ? { ...body, extraData: extra } : body;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export type { KashaSandboxStatus };
