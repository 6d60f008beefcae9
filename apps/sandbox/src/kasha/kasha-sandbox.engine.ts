import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, errorBody, Json, KASHA_REFUSED_KEY, KASHA_SESSION_MS, kashaScenario, postOnce, redactCard, str } from './kasha-sandbox.catalogue';
import { KashaSandboxSession, KashaSandboxState, KashaSandboxTransaction } from './kasha-sandbox.state';

/**
 * What the simulator's endpoints share: the API-key check, sessions, the customer's decision, the
 * payout processor and the notification. Kept apart from the controllers so each flow reads alone.
 */
@Injectable()
export class KashaSandboxEngine {
  constructor(readonly state: KashaSandboxState) {}

  async decide(tx: KashaSandboxTransaction, result: string, where: '3ds' | 'bank' | 'cashier', reply: FastifyReply): Promise<void> {
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

  async finishPayout(tx: KashaSandboxTransaction): Promise<void> {
    if (tx.status !== 'PROCESSING') return;
    const scenario = kashaScenario(tx.amount);
    if (scenario.kind === 'code') this.state.move(tx, 'DECLINED', 'processor', { code: scenario.code, msg: ERRORS[scenario.code][1] });
    else this.state.move(tx, 'COMPLETED', 'processor');
    await this.notify(tx);
  }

  /**
   * Kasha's notification format is not published; the simulator posts it in the current reading
   * (`readings.notificationBody`). payhub does not trust it and asks the status endpoint instead.
   */
  async notify(tx: KashaSandboxTransaction): Promise<number | null> {
    if (!tx.notificationUrl) return null;
    const facts = {
      transactionId: tx.id,
      merchantReference: tx.merchantReference,
      status: tx.status,
      paymentAmount: tx.amount,
      currency: tx.currency,
      errors: tx.errors,
      updatedAt: tx.updatedAt,
    };
    const reading = this.state.readings.notificationBody;
    let body: string;
    let contentType = 'application/json';
    if (reading === 'wrapped') body = JSON.stringify({ statusCode: '000', resultType: 'notification', result: facts });
    else if (reading === 'bare') body = JSON.stringify({ transactionId: tx.id, status: tx.status, updatedAt: tx.updatedAt });
    else if (reading === 'form') {
      contentType = 'application/x-www-form-urlencoded';
      const { errors, ...flat } = facts;
      body = new URLSearchParams(
        Object.entries({ ...flat, errorCode: errors?.code }).flatMap(([k, v]): Array<[string, string]> =>
          v === null || v === undefined ? [] : [[k, String(v)]],
        ),
      ).toString();
    } else body = JSON.stringify(facts);
    const httpStatus = await postOnce(tx.notificationUrl, body, contentType);
    tx.notifications.push({ at: new Date().toISOString(), status: tx.status, httpStatus });
    return httpStatus;
  }

  /** Records the request and checks the API key; answers 401 itself and returns null when refused. */
  accept(req: FastifyRequest, reply: FastifyReply): Json | null {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Json;
    const authHeaders = ['x-api-key', 'authorization', 'api-key', 'apikey'].filter((h) => typeof req.headers[h] === 'string' && req.headers[h] !== '');
    this.state.record({
      method: req.method,
      path: req.originalUrl ?? req.url,
      authHeaders,
      contentType: req.headers['content-type'] ?? null,
      body: redactCard(body),
    });
    // One header at a time: which one Kasha reads is a reading to confirm, switchable for tests.
    const header = this.state.readings.apiKeyHeader;
    const key = typeof req.headers[header] === 'string' ? String(req.headers[header]).replace(/^Bearer\s+/i, '') : undefined;
    if (!key || key === KASHA_REFUSED_KEY) {
      void reply.status(401).send({ statusCode: '401', message: 'Unauthorized' });
      return null;
    }
    return body;
  }

  open(body: Json, kind: KashaSandboxSession['kind'], type: 'PAYIN' | 'PAYOUT'): { session: KashaSandboxSession; tx: KashaSandboxTransaction } {
    const now = new Date().toISOString();
    const session: KashaSandboxSession = {
      id: this.state.newId(),
      kind,
      transactionId: this.state.newId(),
      expiresAt: Date.now() + KASHA_SESSION_MS,
      used: false,
      paymentOptionIds: {},
    };
    const tx: KashaSandboxTransaction = {
      id: session.transactionId,
      sessionId: session.id,
      type,
      status: 'PENDING',
      country: String(body.country),
      currency: String(body.currency),
      amount: Number(body.amount),
      method: null,
      merchantReference: str(body.merchantReference),
      paymentReference: str(body.paymentReference),
      userId: str(body.userId),
      notificationUrl: str(body.notificationUrl),
      redirectUrl: str(body.redirectUrl),
      customer: (body.customer && typeof body.customer === 'object' ? body.customer : null) as Json | null,
      extra: {
        extra1: body.extra1,
        extra2: body.extra2,
        extra3: body.extra3,
        orderDetails: body.orderDetails,
        storedToken: body.storedToken,
        shippingAddress: body.shippingAddress,
        language: body.language,
      },
      cardMask: null,
      extraData: null,
      optionId: null,
      errors: null,
      history: [{ at: now, event: `${kind} session opened → PENDING` }],
      notifications: [],
      createdAt: now,
      updatedAt: now,
    };
    this.state.sessions.set(session.id, session);
    this.state.transactions.set(tx.id, tx);
    return { session, tx };
  }

  sessionFor(body: Json, reply: FastifyReply, kind: 'payin' | 'payout'): { session: KashaSandboxSession; tx: KashaSandboxTransaction } | null {
    const session = this.state.sessions.get(String(body.sessionId ?? ''));
    const tx = session ? this.state.transactions.get(session.transactionId) : undefined;
    if (!session || !tx || (kind === 'payout') !== (session.kind === 'payout') || session.kind === 'hostedPayout') {
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
