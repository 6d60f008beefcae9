import 'reflect-metadata';
import { createValidationPipe, DomainError } from '@payhub/common';
import { DepositRequestDto } from '@payhub/payments';

/**
 * Nest's look for binary values among nested properties, with class-validator's rules kept for the pipe's
 * life (validation.pipe.ts): the same answer as class-validator alone, on the first value and every one after.
 */
describe('validation pipe: binary values in nested properties', () => {
  const metadata = { type: 'body' as const, metatype: DepositRequestDto, data: undefined };
  const body = (card: unknown) => ({
    merchantTxId: 'm-1',
    userId: 'u-1',
    txType: 'CreditcardDeposit',
    amount: 150000,
    currency: 'UAH',
    country: 'UA',
    card,
    customer: { email: 'a@b.example' },
    redirectUrls: { success: 'https://m.example/ok' },
  });
  const answer = async (pipe: ReturnType<typeof createValidationPipe>, value: unknown) => {
    try {
      await pipe.transform(value, metadata);
      return 'passed';
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { code: error.code, details: error.details };
    }
  };

  it('refuses a Buffer where a nested object belongs, again and again, as class-validator alone does', async () => {
    const compiled = createValidationPipe();
    const reference = createValidationPipe({ compiled: false });
    const good = { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', cvv: '123', holder: 'A B' };
    for (const card of [good, Buffer.from('4111111111111111'), good, new Uint8Array(4), Buffer.alloc(0)]) {
      const expected = await answer(reference, body(card));
      expect(await answer(compiled, body(card))).toEqual(expected);
    }
    expect(await answer(compiled, body(Buffer.from('x')))).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await answer(compiled, body(good))).toBe('passed');
  });
});
