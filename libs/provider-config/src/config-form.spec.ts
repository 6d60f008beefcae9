import { INTERKASSA_CONFIG_DESCRIPTOR, KASHA_CONFIG_DESCRIPTOR } from './__fixtures__/provider-config.fixtures';
import { describeConfigForm } from './config-form';

describe('config form description', () => {
  it("reads an account's types, required and conditional fields, secrets and defaults from its rules", () => {
    const form = describeConfigForm(INTERKASSA_CONFIG_DESCRIPTOR);
    const field = (name: string) => form.account.find((f) => f.name === name);
    expect(field('checkoutId')).toMatchObject({ type: 'string', required: true, conditional: false, secret: false, maxLength: 64 });
    expect(field('secretKey')).toMatchObject({ type: 'string', required: true, secret: true });
    expect(field('apiKey')).toMatchObject({ required: false, conditional: true, secret: true });
    expect(field('walletId')).toMatchObject({ required: false, conditional: false });
    expect(field('signAlgorithm')).toMatchObject({ type: 'enum', enum: ['md5', 'sha256'], required: false, default: 'sha256' });
    expect(field('use3Dsecure')).toMatchObject({ type: 'boolean', required: false });
    expect(field('supportedCurrencies')?.hint).toMatch(/UAH\|KZT/);
    expect(field('threeDsRouting')).toMatchObject({
      type: 'object',
      fields: [expect.objectContaining({ name: 'enabled', type: 'boolean', required: true }), expect.objectContaining({ name: 'mode', type: 'enum' })],
    });
    expect(form.baseUrls).toEqual([
      { name: 'api', default: 'https://api.interkassa.com/v1' },
      { name: 'sci', default: 'https://sci.interkassa.com/' },
    ]);
    expect(form.config.map((f) => f.name)).toEqual(['enabled', 'testMode', 'useViqProxy', 'paywayMapping', 'defaultDescriptor', 'timeoutMs']);
    expect(form.config.find((f) => f.name === 'enabled')).toMatchObject({ type: 'boolean', default: true });
    expect(form.config.find((f) => f.name === 'timeoutMs')).toMatchObject({ type: 'integer', minimum: 1000, maximum: 60000 });
  });

  it('tells a map of free keys from a nested object', () => {
    const form = describeConfigForm(KASHA_CONFIG_DESCRIPTOR);
    expect(form.account.find((f) => f.name === 'formInputMap')).toMatchObject({ type: 'map' });
    expect(form.account.find((f) => f.name === 'paths')).toMatchObject({
      type: 'object',
      fields: expect.arrayContaining([expect.objectContaining({ name: 'refund', hint: expect.stringContaining('/') })]),
    });
  });
});
