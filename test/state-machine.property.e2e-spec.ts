import fc from 'fast-check';
import { CheckStatusUseCase } from '@payhub/payments';
import { FINAL_STATUSES, TRANSACTION_REFUND_REVERTED_EVENT, TRANSACTION_REFUNDED_EVENT, TxStatus } from '@payhub/transactions';
import { deposit, TestApp, TestMerchant } from './support/test-app';
import { HttpClient } from './support/http-client';
import { signTestpay, TEST_PROVIDER_C, TestPayProvider } from './support/test-provider';

const RUNS = 100;
const { SUCCESSFUL, FAILED, CANCELLED, PROCESSING, INCONSISTENT, WAITING_INPUT } = TxStatus;

/**
 * Issue 12, point 8: random sequences of create, callback (duplicate, late, contradicting, other
 * money), status check, refund, reversal and force status, against the real state machine, the real
 * HTTP app and MySQL. After every step: refunded ≤ the ceiling (and equals the successful returns); a
 * final status changes only by force; every status change has exactly one event and one outbox row,
 * in the same order; at most one applied callback per dedup key; no request ever answers 5xx.
 */
type Step =
  | { kind: 'create'; tail: 0 | 1 | 2 | 4 }
  | { kind: 'callback'; target: number; status: TxStatus; event: number; money: 'same' | 'other' | 'allowed' | 'currency' }
  | { kind: 'statusCheck'; target: number; status: TxStatus }
  | { kind: 'refund'; target: number; amount: number | null }
  | { kind: 'reversal'; target: number }
  | { kind: 'force'; target: number; status: TxStatus };

const target = fc.nat({ max: 20 });
const steps = fc.array(
  fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('create' as const), tail: fc.constantFrom(0 as const, 1 as const, 2 as const, 4 as const) }), weight: 3 },
    {
      arbitrary: fc.record({
        kind: fc.constant('callback' as const),
        target,
        status: fc.constantFrom(SUCCESSFUL, SUCCESSFUL, FAILED, CANCELLED, PROCESSING),
        event: fc.nat({ max: 2 }),
        money: fc.constantFrom('same' as const, 'same' as const, 'other' as const, 'allowed' as const, 'currency' as const),
      }),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('statusCheck' as const),
        target,
        status: fc.constantFrom(SUCCESSFUL, FAILED, PROCESSING, INCONSISTENT, WAITING_INPUT),
      }),
      weight: 2,
    },
    // Refund amounts pick the provider's answer by their last two digits: …00 SUCCESSFUL, …01 FAILED, …02 INCONSISTENT, …06 PROCESSING.
    {
      arbitrary: fc.record({ kind: fc.constant('refund' as const), target, amount: fc.constantFrom(10000, 30000, 70000, 10001, 10002, 20006, null) }),
      weight: 3,
    },
    { arbitrary: fc.record({ kind: fc.constant('reversal' as const), target }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('force' as const), target, status: fc.constantFrom(SUCCESSFUL, FAILED, CANCELLED, PROCESSING) }), weight: 2 },
  ),
  { minLength: 4, maxLength: 30 },
) as fc.Arbitrary<Step[]>;

describe('the state machine under random sequences (fast-check)', () => {
  let t: TestApp;
  let admin: HttpClient;
  let provider: TestPayProvider;
  let totalSteps = 0;
  let runs = 0;
  /** What the steps did, `kind status`, to show the runs exercised every path. */
  const done = new Map<string, number>();
  const merchants: string[] = [];

  beforeAll(async () => {
    t = await TestApp.start();
    admin = (await t.newStaff(['admin'])).bo;
    provider = t.app.get<TestPayProvider>('TESTPAY_C');
  });
  afterAll(() => t.close());

  async function checkInvariants(merchantId: string, applied: Map<string, number>): Promise<void> {
    const txs = (await t.db.query('SELECT id, parent_id, tx_type, status, amount, settled_amount, refunded_amount FROM transactions WHERE merchant_id = ?', [
      merchantId,
    ])) as Array<Record<string, string | null>>;
    const ids = txs.map((x) => x.id as string);
    if (!ids.length) return;
    for (const tx of txs.filter((x) => x.parent_id === null)) {
      const ceiling = BigInt(tx.settled_amount ?? tx.amount!);
      const refunded = BigInt(tx.refunded_amount!);
      const returned = txs.filter((c) => c.parent_id === tx.id && c.status === SUCCESSFUL).reduce((sum, c) => sum + BigInt(c.amount!), 0n);
      expect({ tx: tx.id, refundedWithinCeiling: refunded <= ceiling, refunded: refunded.toString() }).toEqual({
        tx: tx.id,
        refundedWithinCeiling: true,
        refunded: returned.toString(),
      });
    }
    const events = (await t.db.query(
      `SELECT transaction_id AS tx, kind, from_status AS "from", to_status AS "to" FROM transaction_events WHERE transaction_id IN (?) ORDER BY id`,
      [ids],
    )) as Array<{ tx: string; kind: string; from: string | null; to: string | null }>;
    // A final status is left only by force.
    const leftFinal = events.filter(
      (e) => e.kind !== 'forced' && e.kind !== 'conflict' && e.from !== null && FINAL_STATUSES.includes(e.from as TxStatus) && e.to !== e.from,
    );
    expect(leftFinal).toEqual([]);
    // Status changes are announced one each; `transaction.refunded` / `refund_reverted` announce a change of the
    // deposit's refunded amount, not of its status.
    const outbox = (await t.db.query('SELECT transaction_id AS tx, payload FROM outbox WHERE transaction_id IN (?) AND type NOT IN (?) ORDER BY id', [
      ids,
      [TRANSACTION_REFUNDED_EVENT, TRANSACTION_REFUND_REVERTED_EVENT],
    ])) as Array<{ tx: string; payload: string | { transaction: { status: string } } }>;
    for (const tx of txs) {
      const changes = events
        .filter((e) => e.tx === tx.id && (e.kind === 'status_change' || e.kind === 'forced') && (e.from === null || e.from !== e.to))
        .map((e) => e.to);
      const announced = outbox.filter((o) => o.tx === tx.id).map((o) => (typeof o.payload === 'string' ? JSON.parse(o.payload) : o.payload).transaction.status);
      expect({ tx: tx.id, announced }).toEqual({ tx: tx.id, announced: changes });
      expect(changes.at(-1)).toBe(tx.status);
    }
    const twice = (await t.db.query(
      'SELECT applied_key, COUNT(*) AS n FROM callback_inbox WHERE transaction_id IN (?) AND state = ? GROUP BY provider, applied_key HAVING COUNT(*) > 1',
      [ids, 'applied'],
    )) as unknown[];
    expect(twice).toEqual([]);
    const appliedRows = (await t.db.query('SELECT applied_key AS k FROM callback_inbox WHERE transaction_id IN (?) AND state = ?', [ids, 'applied'])) as Array<{
      k: string;
    }>;
    for (const [key, sent] of applied) expect(appliedRows.filter((r) => r.k === key).length).toBeLessThanOrEqual(Math.min(sent, 1));
  }

  it(`holds its invariants over ${RUNS} random runs`, async () => {
    await fc.assert(
      fc.asyncProperty(steps, async (sequence) => {
        runs++;
        const merchant: TestMerchant = await t.newMerchant();
        await t.routeAllTo(merchant.id, undefined, [TEST_PROVIDER_C]);
        merchants.push(merchant.id);
        const known: string[] = [];
        const applied = new Map<string, number>();
        const pick = (i: number) => (known.length ? known[i % known.length] : null);
        for (const step of sequence) {
          totalSteps++;
          let status = 0;
          if (step.kind === 'create') {
            const res = await merchant.api.post('/v1/deposits', deposit({ amount: 150000 + step.tail }));
            status = res.status;
            if (res.status === 201) known.push(res.body.id);
          } else {
            const txId = pick(step.target);
            if (!txId) continue;
            if (step.kind === 'callback') {
              const tx = (await merchant.api.get(`/v1/transactions/${txId}`)).body as { amount: number; currency: string };
              const money =
                step.money === 'same'
                  ? { amount: tx.amount, currency: tx.currency }
                  : step.money === 'other'
                    ? { amount: tx.amount - 1 }
                    : step.money === 'allowed'
                      ? { amount: tx.amount + 5000, creditedAmountAllowed: true }
                      : { currency: 'EUR' };
              const eventId = `e-${step.event}-${step.status}`;
              const raw = JSON.stringify({ txId, eventId, status: step.status, ...money });
              status = (
                await t.http.post(`/callbacks/${TEST_PROVIDER_C}`, raw, {
                  'content-type': 'application/json',
                  'x-testpay-signature': signTestpay(raw, 'k-123456'),
                })
              ).status;
              const key = `${txId}|${eventId}`;
              applied.set(key, (applied.get(key) ?? 0) + 1);
            } else if (step.kind === 'statusCheck') {
              provider.statuses.set(txId, step.status);
              await t.app.get(CheckStatusUseCase).check(txId);
              status = 200;
            } else if (step.kind === 'refund') {
              const res = await merchant.api.post(`/v1/transactions/${txId}/refunds`, {
                ...(step.amount === null ? {} : { amount: step.amount }),
                merchantRefundId: `r-${totalSteps}`,
              });
              status = res.status;
              if (res.status === 201) known.push(res.body.id);
            } else if (step.kind === 'reversal') {
              const res = await admin.post(`/backoffice/transactions/${txId}/reversal`, { reason: 'property test' });
              status = res.status;
              if (res.status === 201) known.push(res.body.id);
            } else {
              status = (await admin.post(`/backoffice/transactions/${txId}/force-status`, { status: step.status, reason: 'property test' })).status;
            }
          }
          done.set(`${step.kind} ${status}`, (done.get(`${step.kind} ${status}`) ?? 0) + 1);
          expect({ step, status: status >= 500 ? status : 'ok' }).toEqual({ step, status: 'ok' });
          await checkInvariants(merchant.id, applied);
        }
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 50000 },
    );
    const executed = [...done.values()].reduce((a, b) => a + b, 0);
    const reached = (await t.db.query('SELECT status, COUNT(*) AS n FROM transactions WHERE merchant_id IN (?) GROUP BY status', [merchants])) as Array<{
      status: string;
      n: number;
    }>;
    const finals = Object.fromEntries(reached.map((r) => [r.status, Number(r.n)]));
    console.log(
      `state machine property: ${runs} runs, ${totalSteps} steps generated, ${executed} executed (${JSON.stringify(Object.fromEntries([...done].sort()))}); statuses reached ${JSON.stringify(finals)}`,
    );
    expect(runs).toBeGreaterThanOrEqual(25);
    for (const path of ['refund 201', 'reversal 201', 'force 200', 'callback 200']) expect(done.get(path) ?? 0).toBeGreaterThan(0);
  }, 90000);
});
