import { deposit, TestApp, TestMerchant } from './support/test-app';

describe('deposit activation (POST /v1/deposits/{id}/activation)', () => {
  let t: TestApp;
  let merchant: TestMerchant;

  beforeAll(async () => {
    t = await TestApp.start();
    merchant = await t.newMerchant();
    await t.routeAllTo(merchant.id);
  });
  afterAll(() => t.close());

  const activate = (id: string, transactionNumber: string) => merchant.api.post(`/v1/deposits/${id}/activation`, { transactionNumber });
  const sentFor = (id: string) => t.testProvider.activations.filter((a) => a.txId === id);

  it('five parallel activations of one deposit reach the provider once; the rest get 409', async () => {
    const tx = (await merchant.api.post('/v1/deposits', deposit())).body;
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => activate(tx.id, `T-${i}`)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const conflicts = answers.filter((a) => a.status === 409);
    expect(conflicts).toHaveLength(4);
    for (const c of conflicts) expect(c.body.error.code).toBe('TRANSACTION_STATE_CONFLICT');
    expect(sentFor(tx.id)).toHaveLength(1);
    expect((await merchant.api.get(`/v1/transactions/${tx.id}`)).body.status).toBe('PROCESSING');
  });

  it('after a refusal the customer can correct the number at once', async () => {
    const tx = (await merchant.api.post('/v1/deposits', deposit())).body;
    const refused = await activate(tx.id, 'refuse-1');
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('ACTIVATION_REJECTED');
    expect((await activate(tx.id, 'T-ok')).status).toBe(201);
    expect(sentFor(tx.id).map((a) => a.transactionNumber)).toEqual(['refuse-1', 'T-ok']);
  });

  it('bad input is 400 naming the field, and a final deposit cannot be activated', async () => {
    const tx = (await merchant.api.post('/v1/deposits', deposit({ amount: 150004 }))).body;
    const bad = await merchant.api.post(`/v1/deposits/${tx.id}/activation`, { transactionNumber: ' ', amount: 1.5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['transactionNumber', 'amount']));
    const final = await activate(tx.id, 'T-late');
    expect(final.status).toBe(409);
    expect(final.body.error.code).toBe('ILLEGAL_TRANSITION');
    expect(sentFor(tx.id)).toHaveLength(0);
  });
});
