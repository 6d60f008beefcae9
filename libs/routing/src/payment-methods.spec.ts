import { TxType } from '@payhub/transactions';
import { listPaymentMethods, methodCandidates, PaymentMethodChecks, PaymentMethodQuery } from './payment-methods';
import { makeRule } from './testing/routing-fixtures';
import type { TargetRef } from './routing.types';

const everything: PaymentMethodChecks = { targetAvailable: () => true, threeDsFor: () => ({ enabled: false, mode: 'off' }) };
const INR: PaymentMethodQuery = { direction: 'DEPOSIT', currency: 'INR', country: 'IN', amount: 50000n };
const UAH: PaymentMethodQuery = { direction: 'DEPOSIT', currency: 'UAH', country: 'UA', amount: 150000n };
const only = (...labels: string[]): PaymentMethodChecks => ({
  ...everything,
  targetAvailable: (t: TargetRef) => labels.includes(`${t.provider}/${t.account}`),
});
const target = (provider: string) => ({ targets: [{ provider, account: 'DEFAULT', weight: 1 }], fallback: [] });

describe('methodCandidates', () => {
  it('pairs rule-named services with the rule txTypes, or with the wallet types when the rule names none', () => {
    const rules = [
      makeRule({ when: { services: ['paytm'] } }),
      makeRule({ when: { txTypes: [TxType.BankDeposit], services: ['imps'] } }),
      makeRule({ when: { services: ['upi'] } }),
      makeRule({ enabled: false, when: { services: ['phonepe'] } }),
    ];
    expect(methodCandidates(rules, 'DEPOSIT').map((c) => `${c.txType}/${c.service ?? '-'}`)).toEqual([
      'CreditcardDeposit/-',
      'BankDeposit/-',
      'BankDeposit/NET_BANKING',
      'BankDeposit/imps',
      'WalletDeposit/UPI',
      'WalletDeposit/WALLET',
      'WalletDeposit/paytm',
    ]);
  });
});

describe('listPaymentMethods', () => {
  it('lists nothing when no rule routes anything', () => {
    expect(listPaymentMethods([], INR, everything)).toEqual([]);
  });

  it('stops at the first rule that surely matches, even when it has no available target', () => {
    const rules = [
      makeRule({ name: 'dead', when: { services: ['UPI'] }, then: target('gone') }),
      makeRule({ name: 'alive', when: {}, then: target('testpay') }),
    ];
    const methods = listPaymentMethods(rules, INR, only('testpay/DEFAULT'));
    expect(methods.map((m) => m.service)).not.toContain('UPI');
    expect(methods.map((m) => m.service)).toContain('WALLET');
  });

  it('offers a method through an available fallback when the targets are not', () => {
    const rules = [
      makeRule({
        when: { services: ['UPI'] },
        then: { targets: [{ provider: 'gone', account: 'DEFAULT', weight: 1 }], fallback: [{ provider: 'testpay', account: 'DEFAULT' }] },
      }),
    ];
    expect(listPaymentMethods(rules, INR, only('testpay/DEFAULT')).map((m) => m.service)).toEqual(['UPI']);
  });

  it('keeps later rules reachable behind a rule that only some BINs match, and merges their limits', () => {
    const rules = [
      makeRule({ when: { txTypes: [TxType.CreditcardDeposit], binPrefixes: ['411111'], amountMin: 500, amountMax: 1000000 }, then: target('a') }),
      makeRule({ when: { txTypes: [TxType.CreditcardDeposit], cardBrands: ['VISA'], amountMin: 100, amountMax: 200000 }, then: target('b') }),
    ];
    const [card] = listPaymentMethods(rules, UAH, everything);
    expect(card).toMatchObject({ txType: 'CreditcardDeposit', cardBrands: ['VISA'], limits: { minAmount: 100, maxAmount: 1000000 } });
    // A BIN rule for another brand's range does not make that brand available.
    const mastercardBins = [makeRule({ when: { binPrefixes: ['555555'] }, then: target('a') })];
    expect(listPaymentMethods(mastercardBins, UAH, everything).find((m) => m.txType === 'CreditcardDeposit')?.cardBrands).toEqual(['MASTERCARD']);
  });

  it('without an amount, shows the widest range of the rules that can route the method', () => {
    const rules = [
      makeRule({ when: { services: ['UPI'], amountMin: 100, amountMax: 1000 } }),
      makeRule({ when: { services: ['UPI'], amountMin: 1001, amountMax: 5000 } }),
    ];
    const upi = listPaymentMethods(rules, { ...INR, amount: null }, everything).find((m) => m.service === 'UPI');
    expect(upi?.limits).toEqual({ currency: 'INR', minAmount: 100, maxAmount: 5000 });
  });

  it('asks for the browser when any target of a card deposit routes with 3DS, naming the strictest mode', () => {
    const rules = [
      makeRule({
        when: { txTypes: [TxType.CreditcardDeposit] },
        then: {
          targets: [
            { provider: 'a', account: 'DEFAULT', weight: 1 },
            { provider: 'b', account: 'DEFAULT', weight: 1 },
          ],
          fallback: [],
        },
      }),
    ];
    const [card] = listPaymentMethods(rules, UAH, {
      targetAvailable: () => true,
      threeDsFor: (t) => (t.provider === 'a' ? { enabled: true, mode: 'only_3ds' } : { enabled: true, mode: 'required_3ds_v2' }),
    });
    expect(card.threeDs).toEqual({ required: true, mode: 'required_3ds_v2' });
    expect(card.inputFields.filter((f) => f.field.startsWith('browser.'))).toHaveLength(10);
  });
});
