import type { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import fc from 'fast-check';
import { createValidationPipe, DomainError, passesCompiledValidation } from '@payhub/common';
import { DepositRequestDto, WithdrawalRequestDto } from '@payhub/payments';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { deposit } from './support/test-app';

/**
 * The deposit and withdrawal bodies' rules gathered once (compiled-validation.ts) decide exactly as
 * class-validator does, and the pipe answers the same bodies and the same errors, field by field, as
 * class-validator alone: over the bodies of the card-data and input-validation tests and thousands of
 * mutations of them.
 */
describe('compiled request validation', () => {
  const compiled = createValidationPipe();
  const reference = createValidationPipe({ compiled: false });
  const card = { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', cvv: '123', holder: 'JOHN DOE' };
  const withdrawal = (overrides: Record<string, unknown> = {}) =>
    deposit({ txType: 'BankLocalWithdrawal', card: undefined, bank: { name: 'HDFC', accountNumber: '1234567890', accountName: 'John Doe' }, ...overrides });
  const deep = (depth: number) => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

  /** The bodies the card-data scan and the input-validation tests send, valid and not. */
  const corpus: Array<Record<string, unknown>> = [
    deposit(),
    deposit({ amount: 150004 }),
    deposit({ card: { ...card, number: '4000000000000002' } }),
    deposit({ card: { ...card, expiryMonth: '13' } }),
    deposit({ card: { ...card, number: '4111111111111112' } }),
    deposit({ card: [card] }),
    deposit({ card: [] }),
    deposit({ customer: [{ email: 'a@b.co' }] }),
    deposit({ bank: [{ name: 'HDFC' }] }),
    deposit({ redirectUrls: ['https://m.example/ok'] }),
    deposit({ wallet: [] }),
    deposit({ browser: [] }),
    deposit({ customer: { identify: [] } }),
    deposit({ browser: deep(50) }),
    deposit({ amount: '1000' }),
    deposit({ amount: null }),
    deposit({ amount: 10.5, currency: 'EUR' }),
    deposit({ amount: 0 }),
    deposit({ amount: 9007199254740991, currency: 'EUR' }),
    deposit({ amount: 100_000_001, currency: 'JPY' }),
    deposit({ currency: 'XXX' }),
    deposit({ txType: 'BankLocalWithdrawal' }),
    deposit({ unknown: 1 }),
    deposit({ card: { ...card, extra: 'x' } }),
    deposit({ notificationUrl: 'http://127.0.0.1:9/hooks' }),
    deposit({ notificationUrl: 'not a url' }),
    deposit({ customer: { email: 'not-an-email' } }),
    deposit({ order: { tax: '21%', items: [{ productName: 'A', quantity: 2 }, { productName: '' }] } }),
    deposit({ order: { items: [1, 2] } }),
    deposit({ browser: { ip: '10.0.0.1', colorDepth: 24, javaEnabled: 'yes' } }),
    deposit({ merchantTxId: '' }),
    deposit({ userId: 'x'.repeat(65) }),
    withdrawal(),
    withdrawal({ bank: [{ accountNumber: '1' }], customer: [{ firstName: 'A' }] }),
    { ...deposit(), txType: 'CreditcardWithdrawal' },
    {},
  ];

  const paths = [
    'merchantTxId',
    'userId',
    'txType',
    'service',
    'amount',
    'currency',
    'country',
    'notificationUrl',
    'card',
    'card.number',
    'card.expiryMonth',
    'card.expiryYear',
    'card.cvv',
    'card.holder',
    'card.extra',
    'customer',
    'customer.email',
    'customer.phone',
    'customer.identify',
    'customer.address',
    'customer.address.country',
    'redirectUrls',
    'redirectUrls.success',
    'browser',
    'browser.ip',
    'browser.colorDepth',
    'wallet',
    'wallet.account',
    'bank',
    'bank.iban',
    'order',
    'order.items',
    'order.tax',
    'extra',
  ];
  const anyValue = fc.oneof(
    fc.constantFrom(undefined, null, true, false, 0, -1, 1, 1.5, 150000, 2 ** 53, '', ' ', '12', '2030', '123', 'UAH', 'EUR', 'JPY', 'UA'),
    fc.constantFrom('4111111111111111', '4000000000000002', 'https://m.example/ok', 'a@b.co', 'CreditcardDeposit', '+380501234567', '21%', '10.0.0.1'),
    fc.string({ maxLength: 80 }),
    fc.integer(),
    fc.double(),
    fc.constant([]),
    fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant({ productName: 'A' })), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'number', 'email', 'account', 'productName', 'constructor', 'toString'), fc.oneof(fc.string(), fc.integer()), {
      maxKeys: 3,
    }),
  );
  /** Values each field accepts (undefined: absent), so that many mutations keep a body valid. */
  const accepted: Record<string, unknown[]> = {
    merchantTxId: ['a', 'order-1:2/3'],
    userId: ['u1'],
    service: [undefined, 'HOSTED_CASHIER', null],
    amount: [1, 150000, 99],
    currency: ['UAH', 'EUR', 'USD'],
    country: [undefined, 'DE'],
    notificationUrl: [undefined, 'https://m.example/hooks', 'http://localhost:8080/h'],
    'card.cvv': [undefined, '1234'],
    'card.holder': [undefined, 'AB'],
    customer: [undefined, {}, { email: 'x@y.io' }],
    'customer.phone': ['+4915112345678', undefined],
    'customer.address': [{ city: 'Kyiv', country: 'UA' }],
    redirectUrls: [undefined, {}],
    browser: [{ ip: '192.0.2.1', colorDepth: 24, javaEnabled: false, screenWidth: 1280 }],
    wallet: [{ account: 'abc' }],
    bank: [{ iban: 'DE89370400440532013000' }],
    order: [{ tax: '7.5%', items: [{ productName: 'A', quantity: 1 }] }],
  };
  const mutation = fc
    .constantFrom(...paths)
    .chain((path) => fc.tuple(fc.constant(path), accepted[path] ? fc.oneof(anyValue, fc.constantFrom(...accepted[path])) : anyValue))
    .chain(([path, value]) => fc.tuple(fc.constant(path), fc.constant(value), fc.constantFrom(...corpus.slice(0, 3), withdrawal())));

  function mutate(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
    const copy = structuredClone(body) as Record<string, unknown>;
    const keys = path.split('.');
    let at = copy;
    for (const key of keys.slice(0, -1)) {
      if (typeof at[key] !== 'object' || at[key] === null || Array.isArray(at[key])) at[key] = {};
      at = at[key] as Record<string, unknown>;
    }
    if (value === undefined) delete at[keys[keys.length - 1]];
    else at[keys[keys.length - 1]] = value;
    return copy;
  }

  async function outcome(pipe: ValidationPipe, body: unknown, metatype: ArgumentMetadata['metatype']): Promise<unknown> {
    try {
      const value = await pipe.transform(structuredClone(body), { type: 'body', metatype, data: undefined });
      return { ok: true, type: (value as object).constructor?.name, value: JSON.parse(JSON.stringify(value)) };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { ok: false, code: error.code, message: error.message, details: error.details };
    }
  }

  async function expectSame(body: unknown): Promise<boolean> {
    let valid = false;
    for (const metatype of [DepositRequestDto, WithdrawalRequestDto]) {
      const [fast, slow] = [await outcome(compiled, body, metatype), await outcome(reference, body, metatype)];
      expect(fast).toEqual(slow);
      // The verdict itself, before the fallback: passing here must mean class-validator finds nothing. (A body
      // with a `constructor` key makes class-transformer throw; the pipe strips such keys first, compared above.)
      let instance: object;
      try {
        instance = plainToInstance(metatype, structuredClone(body), { enableImplicitConversion: false }) as object;
      } catch {
        continue;
      }
      const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
      expect(passesCompiledValidation(instance)).toBe(errors.length === 0);
      valid ||= errors.length === 0;
    }
    return valid;
  }

  it('answers every corpus body exactly as class-validator does', async () => {
    let valid = 0;
    for (const body of corpus) if (await expectSame(body)) valid++;
    expect(valid).toBeGreaterThanOrEqual(5);
  });

  it('answers thousands of mutated bodies exactly as class-validator does', async () => {
    const samples = fc.sample(fc.array(mutation, { minLength: 1, maxLength: 3 }), { numRuns: 2000, seed: 21 });
    let valid = 0;
    for (const steps of samples) {
      let body = steps[0][2];
      for (const [path, value] of steps) body = mutate(body, path, value);
      if (await expectSame(body)) valid++;
    }
    // Both ways are exercised: many mutations keep the body valid, most do not.
    expect(valid).toBeGreaterThan(200);
    expect(valid).toBeLessThan(1900);
  });
});
