import { TxStatus } from '@payhub/transactions';
import { compareBalances, compareTransactions, PayhubTxRecord } from './report-compare';
import { DEFAULT_RECONCILIATION_OPTIONS, nextCheckAt } from './reconciliation-options';

const tx = (id: string, status: TxStatus, amount = 1000n, providerTxId: string | null = `p-${id}`): PayhubTxRecord => ({
  id,
  providerTxId,
  status,
  amount,
  currency: 'EUR',
});

describe('compareTransactions', () => {
  it('flags what the provider knows and payhub does not, other statuses and other amounts', () => {
    const payhub = [tx('tx_1', TxStatus.SUCCESSFUL), tx('tx_2', TxStatus.PROCESSING), tx('tx_3', TxStatus.SUCCESSFUL, 500n), tx('tx_4', TxStatus.SUCCESSFUL)];
    const provider = [
      { txId: 'tx_1', providerTxId: 'p-tx_1', status: TxStatus.SUCCESSFUL, amount: 1000n, currency: 'EUR' },
      { txId: null, providerTxId: 'p-tx_2', status: TxStatus.FAILED, amount: 1000n, currency: 'EUR' },
      { txId: 'tx_3', providerTxId: null, status: TxStatus.SUCCESSFUL, amount: 400n, currency: 'EUR' },
      { txId: null, providerTxId: 'p-unknown', status: TxStatus.SUCCESSFUL, amount: 700n, currency: 'EUR' },
    ];
    expect(compareTransactions(provider, payhub, []).map((m) => [m.kind, 'txId' in m ? m.txId : null])).toEqual([
      ['status_mismatch', 'tx_2'],
      ['amount_mismatch', 'tx_3'],
      ['missing_in_payhub', null],
      ['missing_at_provider', 'tx_4'],
    ]);
  });

  it('does not flag two unfinished statuses, and finds older transactions by reference', () => {
    const provider = [
      { txId: 'tx_5', providerTxId: null, status: TxStatus.PROCESSING, amount: 1000n, currency: 'EUR' },
      { txId: 'tx_old', providerTxId: null, status: TxStatus.SUCCESSFUL, amount: 1000n, currency: 'EUR' },
    ];
    expect(compareTransactions(provider, [tx('tx_5', TxStatus.WAITING_INPUT)], [tx('tx_old', TxStatus.SUCCESSFUL)])).toEqual([]);
  });
});

describe('compareBalances', () => {
  it('lists every currency and flags differences', () => {
    const result = compareBalances(
      [
        { currency: 'EUR', amount: 1500n },
        { currency: 'USD', amount: 0n },
      ],
      new Map([
        ['EUR', 1000n],
        ['USD', 0n],
      ]),
    );
    expect(result.lines).toEqual([
      { currency: 'EUR', provider: '1500', payhub: '1000', difference: '500' },
      { currency: 'USD', provider: '0', payhub: '0', difference: '0' },
    ]);
    expect(result.mismatches).toEqual([{ kind: 'balance_mismatch', currency: 'EUR', payhub: '1000', provider: '1500', difference: '500' }]);
  });
});

describe('status check schedule', () => {
  const delays = DEFAULT_RECONCILIATION_OPTIONS.checkDelaysMs;
  const t0 = new Date('2026-01-01T00:00:00Z');

  it('backs off 1 m, 5 m, 15 m, 1 h, 6 h, 1 d, then daily', () => {
    const minutes = [0, 1, 2, 3, 4, 5, 6, 9].map((n) => (nextCheckAt(t0, n, delays, null).getTime() - t0.getTime()) / 60000);
    expect(minutes).toEqual([1, 5, 15, 60, 360, 1440, 1440, 1440]);
  });

  it('never waits past a session expiry that lies ahead', () => {
    const expires = new Date(t0.getTime() + 30 * 60000);
    expect(nextCheckAt(t0, 3, delays, expires)).toEqual(expires);
    expect(nextCheckAt(new Date(expires.getTime() + 1), 3, delays, expires).getTime()).toBe(expires.getTime() + 1 + 3600000);
  });
});
