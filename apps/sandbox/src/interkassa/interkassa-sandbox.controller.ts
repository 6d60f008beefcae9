import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sandboxIkSign } from './interkassa-sandbox.signature';
import {
  IK_DEFAULT_READINGS,
  IkSandboxReadings,
  ikNow,
  InterkassaSandboxState,
  SandboxCheckout,
  SandboxInvoice,
  SandboxPayout,
} from './interkassa-sandbox.state';

const TEST_PAYWAY = 'test_interkassa_test_xts';
/** Longer than any timeout a test config sets, short enough to keep tests fast. */
export const IK_SLOW_ANSWER_MS = 2500;
export const IK_DECLINED_CARD = '4000000000000002';

type Scenario = 'normal' | 'slow' | 'error500' | 'refuse';

/** Deterministic outcomes from the amount's cents, documented in apps/sandbox/README.md. */
function scenarioOf(amount: string | undefined): Scenario {
  const cents = /\.(\d{2})$/.exec(amount ?? '')?.[1];
  if (cents === '13') return 'slow';
  if (cents === '50') return 'error500';
  if (cents === '51') return 'refuse';
  return 'normal';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const envelope = (data: unknown, message = 'Success') => ({ status: 'ok', code: 0, data, message });
const apiError = (code: number, message: string) => ({ status: 'error', code, data: { '@resultMessage': message }, message });

function fieldsOf(req: FastifyRequest): Record<string, string> {
  const body = req.body;
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

function headersOf(req: FastifyRequest): Record<string, string> {
  const keep = ['authorization', 'ik-api-account-id', 'content-type'];
  return Object.fromEntries(keep.filter((h) => req.headers[h] !== undefined).map((h) => [h, String(req.headers[h])]));
}

function maskCard(pan: string): string {
  return `${pan.slice(0, 6)}******${pan.slice(-4)}`;
}

/**
 * Interkassa as its documents describe it: the SCI (h2h JSON mode plus a payment page that stands
 * for 3-D Secure / the UPI collect screen) and the REST API v1 with `{status, code, data, message}`.
 */
@Controller('interkassa')
export class InterkassaSandboxController {
  constructor(private readonly state: InterkassaSandboxState) {}

  @Post('sci')
  async sci(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const f = fieldsOf(req);
    this.state.record({ method: 'POST', path: '/sci', headers: headersOf(req), fields: f });
    const checkout = this.state.checkouts.get(f.ik_co_id ?? '');
    if (!checkout) return void reply.send({ resultCode: 1, resultMsg: 'Checkout not found' });
    // A request is signed with the checkout's sign key, test payway included; the test key signs only notifications.
    if (!f.ik_sign || f.ik_sign !== sandboxIkSign(f, checkout.secretKey, checkout.signAlgorithm))
      return void reply.send({ resultCode: 2, resultMsg: 'Wrong signature' });
    if (f.ik_act !== 'process' || f.ik_int !== 'json')
      return void reply.send({ resultCode: 3, resultMsg: 'Only ik_act=process with ik_int=json is simulated' });
    for (const required of ['ik_pm_no', 'ik_am', 'ik_cur', 'ik_desc']) {
      if (!f[required]) return void reply.send({ resultCode: 4, resultMsg: `${required} is required` });
    }
    // A payway is per currency (`visa_cpaytrz_merchant_usd`, NOTES §1.6); without one, the method form names method and currency.
    if (f.ik_pw_via && f.ik_pw_via !== TEST_PAYWAY && !new RegExp(`^[A-Za-z0-9]+(_[A-Za-z0-9]+){2,}_${(f.ik_cur ?? '').toLowerCase()}$`).test(f.ik_pw_via)) {
      return void reply.send({ resultCode: 7, resultMsg: `Unknown payway ${f.ik_pw_via} for ${f.ik_cur}` });
    }
    if (!f.ik_pw_via && (!f.ik_payment_method || !f.ik_payment_currency))
      return void reply.send({ resultCode: 8, resultMsg: 'ik_pw_via or ik_payment_method with ik_payment_currency is required' });
    if (this.state.invoiceByPaymentNo(checkout.checkoutId, f.ik_pm_no!)) {
      return void reply.send({ resultCode: 5, resultMsg: 'Payment number is not unique' });
    }
    const scenario = scenarioOf(f.ik_am);
    if (scenario === 'error500') return void reply.status(500).send('Internal Server Error');
    if (scenario === 'refuse') return void reply.send({ resultCode: 51, resultMsg: 'Insufficient funds' });
    const card = f.ik_pay_card_number;
    if (card === IK_DECLINED_CARD) return void reply.send({ resultCode: 6, resultMsg: 'Card declined' });

    const invoice: SandboxInvoice = {
      id: this.state.nextId(),
      checkoutId: checkout.checkoutId,
      paymentNo: f.ik_pm_no,
      amount: f.ik_am,
      currency: f.ik_cur,
      payway: f.ik_pw_via ?? `${f.ik_payment_method ?? 'card'}_${(f.ik_payment_currency ?? f.ik_cur).toLowerCase()}`,
      description: f.ik_desc,
      interactionUrl: f.ik_ia_u ?? null,
      successUrl: f.ik_suc_u ?? null,
      failUrl: f.ik_fal_u ?? null,
      cardMask: card ? maskCard(card) : null,
      invState: 'new',
      coState: '2',
      refunded: 0,
      created: ikNow(),
      processed: '',
      expiresAt: Date.now() + (/^\d+$/.test(f.ik_ltm ?? '') ? Number(f.ik_ltm) : 30 * 24 * 3600) * 1000,
      echo: Object.fromEntries(Object.entries(f).filter(([k]) => k.startsWith('ik_x_'))),
    };
    this.state.addInvoice(invoice);
    if (scenario === 'slow') {
      // The payment goes through, but the answer comes too late: only a status check can tell.
      Object.assign(invoice, { invState: 'success', coState: '7', processed: ikNow() });
      await sleep(IK_SLOW_ANSWER_MS);
    }
    const base = `${req.protocol}://${req.headers.host}`;
    void reply.send({
      resultCode: 0,
      resultMsg: 'Success',
      resultData: {
        paymentForm: { action: `${base}/interkassa/sci/pay/${invoice.id}`, method: 'get', parameters: { 'x-request-id': invoice.id, 'x-using-mode': 'h2h' } },
      },
    });
  }

  /** The page behind paymentForm.action: 3-D Secure for cards, the collect screen for Indian methods. */
  @Get('sci/pay/:invoiceId')
  page(@Param('invoiceId') invoiceId: string, @Res() reply: FastifyReply): void {
    const invoice = this.state.invoices.get(invoiceId);
    if (!invoice) return void reply.status(404).type('text/html').send('<h1>Unknown invoice</h1>');
    const title = invoice.cardMask ? `3-D Secure check for card ${invoice.cardMask}` : `Confirm the payment (${invoice.payway})`;
    void reply.type('text/html').send(`<!doctype html><html><body><h1>Interkassa sandbox</h1><p>${title}</p>
<p>${invoice.amount} ${invoice.currency}, payment ${invoice.paymentNo}</p>
<form method="post" action="/interkassa/sci/pay/${invoice.id}/approve"><button>Approve</button></form>
<form method="post" action="/interkassa/sci/pay/${invoice.id}/fail"><button>Fail</button></form></body></html>`);
  }

  @Post('sci/pay/:invoiceId/:decision')
  async decide(@Param('invoiceId') invoiceId: string, @Param('decision') decision: string, @Res() reply: FastifyReply): Promise<void> {
    const invoice = this.state.invoices.get(invoiceId);
    if (!invoice || !['approve', 'fail'].includes(decision)) return void reply.status(404).type('text/html').send('<h1>Unknown invoice</h1>');
    expireIfDue(invoice);
    if (invoice.coState === '5') return void reply.status(410).type('text/html').send('<h1>The invoice has expired</h1>');
    if (invoice.invState === 'new') {
      Object.assign(invoice, decision === 'approve' ? { invState: 'success', coState: '7' } : { invState: 'fail', coState: '8' }, { processed: ikNow() });
    }
    const delivered = await this.notify(invoice);
    const target = invoice.invState === 'success' ? invoice.successUrl : invoice.failUrl;
    if (target) return void reply.status(303).header('location', target).header('x-ik-callback-status', String(delivered)).send();
    void reply.header('x-ik-callback-status', String(delivered)).type('text/html').send(`<h1>Payment ${invoice.invState}</h1>`);
  }

  @Get('api/v1/account')
  accounts(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const checkout = this.authenticate(req, reply, false);
    if (!checkout) return;
    void reply.send(
      envelope({ [checkout.accountID]: { _id: checkout.accountID, nm: 'Business cabinet', tp: 'b', usr: [{ id: checkout.customerId, o: '1', rl: 'b_o' }] } }),
    );
  }

  @Get('api/v1/purse/:id')
  purse(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const checkout = this.authenticate(req, reply);
    if (!checkout) return;
    if (id !== checkout.walletId) return void reply.status(404).send(apiError(404, 'Purse not found'));
    const purse = {
      id,
      accountId: checkout.accountID,
      type: 'c',
      name: 'Sandbox purse',
      status: '1',
      balance: checkout.purseBalance.toFixed(4),
      frozen: '0.0000',
      settings: { co: checkout.checkoutId },
      blockedAmount: '0',
    };
    // Keyed by purse id, as interkassa-paymentiq-integration.md shows the purse list; `flat` is the other reading.
    void reply.send(envelope(this.state.readings.purseAnswer === 'flat' ? purse : { [id]: purse }));
  }

  @Get('api/v1/co-invoice')
  invoices(@Query() query: Record<string, string>, @Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const checkout = this.authenticate(req, reply);
    if (!checkout) return;
    const byNo = query.paymentNo ? this.state.invoiceByPaymentNo(checkout.checkoutId, query.paymentNo) : undefined;
    const items = query.paymentNo ? (byNo ? [byNo] : []) : [...this.state.invoices.values()].filter((i) => i.checkoutId === checkout.checkoutId);
    void reply.send(envelope(this.list(items.map((i) => this.invoiceView(i)))));
  }

  @Get('api/v1/co-invoice/:id')
  invoice(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const checkout = this.authenticate(req, reply);
    if (!checkout) return;
    const invoice = this.state.invoices.get(id);
    if (!invoice || invoice.checkoutId !== checkout.checkoutId) return void reply.status(404).send(apiError(404, 'Invoice not found'));
    const view = this.invoiceView(invoice);
    this.finishRefund(invoice);
    void reply.send(envelope(view));
  }

  @Post('api/v1/refund')
  async refund(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const checkout = this.authenticate(req, reply);
    if (!checkout) return;
    const f = fieldsOf(req);
    const scenario = scenarioOf(f.amount);
    if (scenario === 'error500') return void reply.status(500).send('Internal Server Error');
    if (scenario === 'slow') await sleep(IK_SLOW_ANSWER_MS);
    const invoice = this.state.invoices.get(f.id ?? '');
    if (!invoice || invoice.checkoutId !== checkout.checkoutId) return void reply.send(apiError(1404, 'Invoice not found'));
    if (scenario === 'refuse') return void reply.send(apiError(1451, 'Refund is not allowed for this payment'));
    if (invoice.coState !== '7') return void reply.send(apiError(1409, `Invoice in state ${invoice.coState} cannot be refunded`));
    const amount = Number(f.amount);
    const total = Number(invoice.amount);
    if (!(amount > 0) || Math.round((invoice.refunded + amount) * 100) > Math.round(total * 100))
      return void reply.send(apiError(1422, 'Refund amount exceeds the payment'));
    invoice.refunded = Math.round((invoice.refunded + amount) * 100) / 100;
    // State 4 "refund in progress" until Interkassa is done: the first read after this answer finishes it.
    invoice.coState = '4';
    void reply.send(envelope({ id: this.state.nextId(), invoiceId: invoice.id, amount: f.amount, merchantOrderId: f.merchantOrderId ?? null }));
  }

  @Post('api/v1/withdraw')
  async withdraw(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const checkout = this.authenticate(req, reply);
    if (!checkout) return;
    const f = fieldsOf(req);
    const details = Object.fromEntries(
      Object.entries(f)
        .filter(([k]) => k.startsWith('details['))
        .map(([k, v]) => [k.slice(8, -1), v]),
    );
    for (const required of ['amount', 'purseId', 'method', 'currency', 'useShortAlias', 'paymentNo']) {
      if (!f[required]) return void reply.send(apiError(1400, `${required} is required`));
    }
    if (Object.keys(details).length === 0) return void reply.send(apiError(1400, 'details are required'));
    if (f.purseId !== checkout.walletId) return void reply.send(apiError(1404, 'Purse not found'));
    if (this.state.payoutByPaymentNo(checkout.checkoutId, f.paymentNo)) {
      return void reply.send(apiError(1409, 'paymentNo is not unique'));
    }
    const scenario = scenarioOf(f.amount);
    if (scenario === 'error500') return void reply.status(500).send('Internal Server Error');
    if (scenario === 'refuse' || Number(f.amount) > checkout.purseBalance) return void reply.send(apiError(1451, 'Not enough money in the purse'));
    const payout: SandboxPayout = {
      id: this.state.nextId(),
      checkoutId: checkout.checkoutId,
      paymentNo: f.paymentNo,
      purseId: f.purseId,
      amount: f.amount,
      currency: f.currency,
      method: f.method,
      details: details.card ? { ...details, card: maskCard(details.card) } : details,
      state: '6',
      stateName: 'process',
      created: ikNow(),
    };
    // `action=calc` only prices the payout: nothing is kept and no money moves.
    if (f.action !== 'calc') {
      this.state.addPayout(payout);
      checkout.purseBalance -= Number(f.amount);
    }
    if (scenario === 'slow') {
      Object.assign(payout, { state: '8', stateName: 'success' });
      await sleep(IK_SLOW_ANSWER_MS);
    }
    void reply.send(envelope({ transaction: { id: payout.id, opId: payout.id } }));
  }

  @Get('api/v1/withdraw')
  payouts(@Query() query: Record<string, string>, @Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const checkout = this.authenticate(req, reply);
    if (!checkout) return;
    const byNo = query.paymentNo ? this.state.payoutByPaymentNo(checkout.checkoutId, query.paymentNo) : undefined;
    const items = query.paymentNo ? (byNo ? [byNo] : []) : [...this.state.payouts.values()].filter((p) => p.checkoutId === checkout.checkoutId);
    void reply.send(envelope(this.list(items.map((p) => this.payoutView(p)))));
  }

  @Get('api/v1/withdraw/:id')
  payout(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const checkout = this.authenticate(req, reply);
    if (!checkout) return;
    const payout = this.state.payouts.get(id);
    if (!payout || payout.checkoutId !== checkout.checkoutId) return void reply.status(404).send(apiError(404, 'Withdraw not found'));
    void reply.send(envelope(this.payoutView(payout)));
  }

  // ---- Sandbox controls (not part of Interkassa): set up checkouts, drive payouts, read what was received.

  @Post('_sandbox/checkouts')
  registerCheckout(@Body() body: Partial<SandboxCheckout>): SandboxCheckout {
    const checkout: SandboxCheckout = {
      checkoutId: String(body.checkoutId),
      secretKey: String(body.secretKey),
      testKey: String(body.testKey ?? ''),
      signAlgorithm: body.signAlgorithm === 'md5' ? 'md5' : 'sha256',
      customerId: String(body.customerId),
      apiKey: String(body.apiKey),
      accountID: String(body.accountID),
      walletId: String(body.walletId),
      withdrawCallbackUrl: body.withdrawCallbackUrl ?? null,
      purseBalance: Number(body.purseBalance ?? 1_000_000),
    };
    this.state.checkouts.set(checkout.checkoutId, checkout);
    return checkout;
  }

  /** Settles a payout, named by its id or paymentNo (`state` 8 done, 3 rejected, 9 canceled, …) and posts the withdrawal callback to `callbackUrl` or the checkout's URL. */
  @Post('_sandbox/withdraw/:id/state')
  async settlePayout(
    @Param('id') id: string,
    @Body() body: { state: string; stateName?: string; callbackUrl?: string },
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const payout = this.state.payouts.get(id) ?? [...this.state.payouts.values()].find((p) => p.paymentNo === id);
    if (!payout) return void reply.status(404).send({ error: 'unknown payout' });
    payout.state = String(body.state);
    payout.stateName =
      body.stateName ?? ({ '8': 'success', '9': 'canceled', '3': 'rejected', '11': 'returned' } as Record<string, string>)[payout.state] ?? 'process';
    const checkout = this.state.checkouts.get(payout.checkoutId)!;
    let callbackStatus: number | null = null;
    const callbackUrl = body.callbackUrl ?? checkout.withdrawCallbackUrl;
    if (callbackUrl) {
      // Interkassa publishes no payout notification: its naming field and signature are readings (`_sandbox/readings`).
      const { idField, signed } = this.state.readings.withdrawCallback;
      const fields: Record<string, string> = {
        id: payout.id,
        [idField]: payout.paymentNo,
        purseId: payout.purseId,
        amount: payout.amount,
        currency: payout.currency,
        state: payout.state,
        stateName: payout.stateName,
      };
      if (signed) fields.ik_sign = sandboxIkSign(fields, checkout.secretKey, checkout.signAlgorithm);
      callbackStatus = await post(callbackUrl, fields);
    }
    void reply.send({ payout: this.payoutView(payout), callbackStatus });
  }

  /** Switches a reading the documents leave open; `{}` restores the defaults. */
  @Post('_sandbox/readings')
  setReadings(@Body() body: Partial<IkSandboxReadings>): IkSandboxReadings {
    this.state.readings = { ...IK_DEFAULT_READINGS, ...body };
    return this.state.readings;
  }

  @Get('_sandbox/requests')
  requests(@Query() query: Record<string, string>) {
    const needle = query.contains;
    return { data: needle ? this.state.requests.filter((r) => Object.values(r.fields).includes(needle) || r.path.includes(needle)) : this.state.requests };
  }

  /** Interaction notification as Interkassa sends it: form-encoded, `ik_*` fields only, signed. */
  private async notify(invoice: SandboxInvoice): Promise<number | null> {
    if (!invoice.interactionUrl) return null;
    const checkout = this.state.checkouts.get(invoice.checkoutId)!;
    return post(invoice.interactionUrl, interactionFields(invoice, checkout));
  }

  private authenticate(req: FastifyRequest, reply: FastifyReply, needsAccount = true): SandboxCheckout | null {
    this.state.record({ method: req.method, path: req.url.replace(/^\/interkassa\/api\/v1/, ''), headers: headersOf(req), fields: fieldsOf(req) });
    const [scheme, token] = String(req.headers.authorization ?? '').split(' ');
    const [user, ...rest] = scheme === 'Basic' && token ? Buffer.from(token, 'base64').toString('utf8').split(':') : [];
    const checkout = user ? this.state.checkoutByCustomer(user) : undefined;
    if (!checkout || checkout.apiKey !== rest.join(':')) {
      void reply.status(401).send(apiError(401, 'Authorization failed'));
      return null;
    }
    if (needsAccount && req.headers['ik-api-account-id'] !== checkout.accountID) {
      void reply.status(403).send(apiError(403, 'Ik-Api-Account-Id is missing or not yours'));
      return null;
    }
    return checkout;
  }

  /** A refund in progress ends after one read: 9 once the whole invoice is refunded, else back to 7 (paid). */
  private finishRefund(invoice: SandboxInvoice): void {
    if (invoice.coState !== '4') return;
    invoice.coState = Math.round(invoice.refunded * 100) === Math.round(Number(invoice.amount) * 100) ? '9' : '7';
  }

  /** A list answer in the current `listShape` reading. */
  private list<T extends { id: string }>(items: T[]): Record<string, T> | T[] {
    return this.state.readings.listShape === 'array' ? items : Object.fromEntries(items.map((item) => [item.id, item]));
  }

  private invoiceView(i: SandboxInvoice) {
    expireIfDue(i);
    const money = this.state.readings.invoiceFields === 'long' ? { amount: i.amount, currency: i.currency } : { am: i.amount, cur: i.currency };
    return {
      id: i.id,
      coId: i.checkoutId,
      paymentNo: i.paymentNo,
      state: i.coState,
      ...money,
      pwAls: i.payway,
      refunded: i.refunded.toFixed(2),
      created: i.created,
      processed: i.processed,
    };
  }

  private payoutView(p: SandboxPayout) {
    return {
      id: p.id,
      psTrnId: p.state === '8' ? `ps-${p.id}` : '',
      purseId: p.purseId,
      accountId: this.state.checkouts.get(p.checkoutId)?.accountID,
      coId: p.checkoutId,
      paymentNo: p.paymentNo,
      paywayId: p.method,
      state: p.state,
      result: p.state === '8' ? '1' : '0',
      stateName: p.stateName,
      currencyId: p.currency,
      amount: p.amount,
      details: p.details,
      created: p.created,
    };
  }
}

/** An unpaid invoice past its `ik_ltm` is expired (co-invoice state 5). */
function expireIfDue(invoice: SandboxInvoice): void {
  if (invoice.coState === '2' && Date.now() >= invoice.expiresAt) Object.assign(invoice, { coState: '5', invState: 'canceled' });
}

export function interactionFields(invoice: SandboxInvoice, checkout: SandboxCheckout): Record<string, string> {
  const fields: Record<string, string> = {
    ik_co_id: invoice.checkoutId,
    ik_co_prs_id: checkout.walletId,
    ik_inv_id: invoice.id,
    ik_inv_st: invoice.invState,
    ik_inv_crt: invoice.created,
    ik_inv_prc: invoice.processed,
    ik_trn_id: invoice.invState === 'success' ? `trn-${invoice.id}` : '',
    ik_pm_no: invoice.paymentNo,
    ik_pw_via: invoice.payway,
    ik_am: invoice.amount,
    ik_co_rfn: Number(invoice.amount).toFixed(4),
    ik_ps_price: invoice.amount,
    ik_cur: invoice.currency,
    ik_desc: invoice.description,
  };
  if (invoice.cardMask) fields.ik_p_card_mask = invoice.cardMask;
  Object.assign(fields, invoice.echo ?? {});
  const key = invoice.payway === TEST_PAYWAY ? checkout.testKey : checkout.secretKey;
  fields.ik_sign = sandboxIkSign(fields, key, checkout.signAlgorithm);
  return fields;
}

async function post(url: string, fields: Record<string, string>): Promise<number | null> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    await res.text();
    return res.status;
  } catch {
    return null;
  }
}
