import type { PaymentRequestBase } from '@payhub/providers-core';
import { TxType } from '@payhub/domain';
import { fillFormInputs } from './kasha-form-inputs';
import { redactKasha } from './kasha-http';

const request = (overrides: Partial<PaymentRequestBase> = {}): PaymentRequestBase => ({
  txId: 'tx_01',
  merchantId: 'mer_01',
  merchantTxId: 'm-1',
  userId: 'u-1',
  txType: TxType.BankLocalWithdrawal,
  service: null,
  amount: 10000n,
  currency: 'BRL',
  country: 'BR',
  callbackUrl: 'http://127.0.0.1/callbacks/kasha/tx_01',
  routing: { payway: null, threeDs: { enabled: false, mode: 'off' } },
  customer: { firstName: 'Maria', lastName: 'Silva', phone: '+5511999999999', identify: { number: '36570630563', type: 'BRA_CPF' } },
  bank: { accountNumber: '00012345', accountType: 'checking' },
  ...overrides,
});

describe('Kasha form inputs', () => {
  const inputs = [
    { name: 'name', required: true, validations: { minLength: 5, maxLength: 100 } },
    { name: 'document', required: true, validations: { minLength: 8, maxLength: 14 } },
    { name: 'account', required: true, validations: { minLength: 6 } },
    { name: 'accountType', required: false, values: ['checking', 'savings'] },
    { name: 'phone', required: false, validations: null },
  ];

  it('fills inputs from the payment', () => {
    expect(fillFormInputs(inputs, request())).toEqual({
      values: { name: 'Maria Silva', document: '36570630563', account: '00012345', accountType: 'checking', phone: '+5511999999999' },
      issues: [],
    });
  });

  it('reports every input Kasha would refuse, naming it', () => {
    const { issues } = fillFormInputs(inputs, request({ customer: { firstName: 'Al' }, bank: { accountNumber: '123', accountType: 'other' } }));
    expect(issues).toEqual([
      { field: 'name', issue: 'must be at least 5 characters' },
      { field: 'document', issue: 'is required by Kasha (from customer.identify.number)' },
      { field: 'account', issue: 'must be at least 6 characters' },
      { field: 'accountType', issue: 'must be one of checking, savings' },
    ]);
  });

  it("takes names payhub cannot guess from the account's formInputMap", () => {
    const { values, issues } = fillFormInputs([{ name: 'cbu_destino', required: true }], request(), { cbu_destino: 'bank.accountNumber' });
    expect(issues).toEqual([]);
    expect(values).toEqual({ cbu_destino: '00012345' });
    expect(fillFormInputs([{ name: 'cbu_destino', required: true }], request()).issues).toEqual([
      { field: 'cbu_destino', issue: 'is required by Kasha and has no mapping (formInputMap)' },
    ]);
  });
});

describe('Kasha exchange redaction', () => {
  it('masks the PAN and drops CVV and keys, at any depth', () => {
    expect(redactKasha({ extraData: { cardnum: '4111111111111111', cardcvv: '123', cardholder: 'JOHN DOE' }, apiKey: 'k', list: [{ cvv: '1' }] })).toEqual({
      extraData: { cardnum: '411111******1111', cardcvv: '[redacted]', cardholder: 'JOHN DOE' },
      apiKey: '[redacted]',
      list: [{ cvv: '[redacted]' }],
    });
  });
});
