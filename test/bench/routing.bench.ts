/**
 * Routing decisions per second: the pure decision over 200 rules, as each payment runs it.
 *   npm run bench:routing
 */
import { randomBytes } from 'node:crypto';
import { RoutingRule, routePayment } from '@payhub/routing';
import { TxType } from '@payhub/transactions';

const CURRENCIES = ['UAH', 'EUR', 'USD', 'INR', 'BRL', 'MXN', 'KZT', 'GBP'];

function rules(count: number): RoutingRule[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `rr_${i}`,
    name: `rule ${i}`,
    priority: i,
    enabled: true,
    when: {
      txTypes: [TxType.CreditcardDeposit],
      currencies: [CURRENCIES[i % CURRENCIES.length]],
      cardBrands: i % 3 === 0 ? ['VISA'] : ['VISA', 'MASTERCARD'],
      binPrefixes: i % 5 === 0 ? [`4${String(i).padStart(3, '0')}`] : [],
      amountMin: 100,
      amountMax: 10_000_000 + i,
    },
    then: {
      targets: [
        { provider: 'p1', account: 'DEFAULT', weight: 70 },
        { provider: 'p2', account: 'DEFAULT', weight: 30 },
      ],
      fallback: [{ provider: 'p3', account: 'DEFAULT' }],
    },
  }));
}

function main(): void {
  const list = rules(200);
  const available = () => ({ available: true });
  // The last currency matches late rules only, so most payments walk most of the list.
  const payments = Array.from({ length: 1000 }, (_, i) => ({
    txId: `tx_${randomBytes(8).toString('hex')}`,
    txType: TxType.CreditcardDeposit,
    service: null,
    amount: 150000n,
    currency: CURRENCIES[(i % 2) * 7],
    country: 'UA',
    cardBrand: 'MASTERCARD' as const,
    bin: '55555555',
  }));
  for (let i = 0; i < 20000; i++) routePayment(list, payments[i % payments.length], available);
  const total = 500_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < total; i++) routePayment(list, payments[i % payments.length], available);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    JSON.stringify({
      rules: list.length,
      decisions: total,
      decisionsPerSec: Math.round(total / seconds),
      microsPerDecision: +((seconds / total) * 1e6).toFixed(2),
    }),
  );
}

main();
