import Fastify from 'fastify';
import fc from 'fast-check';
import { TRANSACTION_RESPONSE_SCHEMA, TransactionResponse } from '@payhub/transactions';

/**
 * The deposit route answers through a serialiser compiled from TRANSACTION_RESPONSE_SCHEMA (issue 21): its
 * JSON must be JSON.stringify's, byte for byte, for any value presentTransaction can return, odd strings
 * (quotes, control characters, lone surrogates, non-ASCII) and any nextAction or failure included.
 */
describe('TRANSACTION_RESPONSE_SCHEMA', () => {
  const app = Fastify();
  let body: unknown;
  app.post('/tx', { schema: { response: { 201: TRANSACTION_RESPONSE_SCHEMA } } }, async (_request, reply) => reply.status(201).send(body));

  beforeAll(() => app.ready());
  afterAll(() => app.close());

  const text = fc.string({ unit: 'binary', maxLength: 40 });
  const orNull = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
  const amount = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  const response: fc.Arbitrary<TransactionResponse> = fc.record({
    id: text,
    merchantTxId: text,
    userId: text,
    status: text,
    txType: text,
    service: orNull(text),
    amount,
    currency: text,
    country: orNull(text),
    provider: orNull(text),
    refundedAmount: amount,
    settledAmount: orNull(amount),
    parentId: orNull(text),
    card: orNull(fc.record({ brand: orNull(text), bin: orNull(text), last4: orNull(text), expiry: orNull(text) })),
    nextAction: fc.oneof(fc.constant(null), fc.jsonValue()),
    failure: fc.oneof(fc.constant(null), fc.jsonValue()),
    createdAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    updatedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  });

  it('writes exactly what JSON.stringify writes', async () => {
    await fc.assert(
      fc.asyncProperty(response, async (value) => {
        body = value;
        const answer = await app.inject({ method: 'POST', url: '/tx' });
        expect(answer.statusCode).toBe(201);
        expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(answer.body).toBe(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('writes a typical card deposit answer as JSON.stringify does', async () => {
    body = {
      id: 'tx_01M8T50J4Z6DESXCAHBMQWYPVA',
      merchantTxId: 'order-"42"\u2028',
      userId: 'user-1',
      status: 'WAITING_INPUT',
      txType: 'CreditcardDeposit',
      service: null,
      amount: 150000,
      currency: 'UAH',
      country: 'UA',
      provider: 'interkassa',
      refundedAmount: 0,
      settledAmount: null,
      parentId: null,
      card: { brand: 'VISA', bin: '411111', last4: '1111', expiry: '12/30' },
      nextAction: { type: 'redirect', method: 'POST', url: 'https://acs.example/3ds', fields: { PaReq: 'x', MD: 'y' } },
      failure: null,
      createdAt: '2026-12-02T01:00:00.000Z',
      updatedAt: '2026-12-02T01:00:00.125Z',
    } satisfies TransactionResponse;
    const answer = await app.inject({ method: 'POST', url: '/tx' });
    expect(answer.body).toBe(JSON.stringify(body));
  });
});
