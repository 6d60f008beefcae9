import { ErrorCode } from '@payhub/common';
import { INTERKASSA_CONFIG_DESCRIPTOR, domainErrorOf, registerTestDescriptors } from './__fixtures__/provider-config.fixtures';
import { configuredProviders, descriptorFor, registerConfigDescriptor } from './config-descriptor.registry';

describe('config descriptor registry', () => {
  beforeAll(registerTestDescriptors);

  it('finds registered descriptors by provider id', () => {
    expect(descriptorFor('interkassa')).toBe(INTERKASSA_CONFIG_DESCRIPTOR);
    expect(configuredProviders()).toEqual(expect.arrayContaining(['interkassa', 'paykassma', 'kasha']));
  });

  it('accepts registering the same descriptor again', () => {
    expect(() => registerConfigDescriptor(INTERKASSA_CONFIG_DESCRIPTOR)).not.toThrow();
    expect(descriptorFor('interkassa')).toBe(INTERKASSA_CONFIG_DESCRIPTOR);
  });

  it('refuses a second, different descriptor for the same provider', () => {
    expect(() => registerConfigDescriptor({ ...INTERKASSA_CONFIG_DESCRIPTOR })).toThrow(/interkassa/);
  });

  it('fails with PROVIDER_NOT_FOUND for an unknown provider', () => {
    expect(domainErrorOf(() => descriptorFor('stripe')).code).toBe(ErrorCode.PROVIDER_NOT_FOUND);
  });
});
