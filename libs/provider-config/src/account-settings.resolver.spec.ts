import { ErrorCode, SecretBox } from '@payhub/common';
import { INTERKASSA_CONFIG_DESCRIPTOR, domainErrorOf, interkassaInput, kashaInput, registerTestDescriptors } from './__fixtures__/provider-config.fixtures';
import { resolveAccountSettings } from './account-settings.resolver';
import { openSecrets, sealSecrets } from './config-secrets';
import { validateProviderConfig } from './provider-config.validator';

describe('resolveAccountSettings', () => {
  beforeAll(registerTestDescriptors);

  it('merges config-level settings with the account, the account descriptor winning', () => {
    const config = validateProviderConfig('interkassa', interkassaInput());
    expect(resolveAccountSettings(config, 'DEFAULT')).toEqual({
      settings: config.accounts.DEFAULT,
      descriptor: 'account description',
      testMode: false,
      paywayMapping: 'VISA->visa,MASTERCARD->mastercard,VISA_UAH->visa_cpaytrz_merchant_uah',
      baseUrls: { api: 'https://api.interkassa.com/v1', sci: 'https://sci.interkassa.com/' },
      timeoutMs: 15000,
    });
  });

  it('falls back to the config-level descriptor', () => {
    const config = validateProviderConfig('interkassa', interkassaInput());
    expect(resolveAccountSettings(config, 'UAH_ONLY').descriptor).toBe('payment description');
  });

  it('gives null where the config sets nothing', () => {
    const config = validateProviderConfig('kasha', { accounts: { A: { apiKey: 'k' } } });
    expect(resolveAccountSettings(config, 'A')).toEqual({
      settings: { apiKey: 'k', apiKeyHeader: 'x-api-key' },
      descriptor: null,
      testMode: false,
      paywayMapping: null,
      baseUrls: { api: 'https://api-gateway.kasha.io' },
      timeoutMs: null,
    });
  });

  it('hands out clear secrets when given the opened config', () => {
    const box = SecretBox.fromMasterKey('0'.repeat(64));
    const clear = validateProviderConfig('interkassa', interkassaInput());
    const stored = sealSecrets(INTERKASSA_CONFIG_DESCRIPTOR, clear, box);
    const settings = resolveAccountSettings(openSecrets(INTERKASSA_CONFIG_DESCRIPTOR, stored, box), 'DEFAULT').settings;
    expect(settings.secretKey).toBe('ik-sign-key & <secret>');
  });

  it('returns copies, so an adapter cannot change the config', () => {
    const config = validateProviderConfig('kasha', kashaInput());
    const resolved = resolveAccountSettings(config, 'DEFAULT');
    (resolved.settings.paths as Record<string, string>).refund = '/changed';
    resolved.baseUrls.api = 'https://changed.test';
    expect(config.accounts.DEFAULT.paths).not.toHaveProperty('refund');
    expect(config.baseUrls.api).toBe('http://127.0.0.1:4000/kasha');
  });

  it.each(['MISSING', 'toString', '__proto__'])('fails with PROVIDER_ACCOUNT_NOT_FOUND for %s', (name) => {
    const config = validateProviderConfig('kasha', kashaInput());
    expect(domainErrorOf(() => resolveAccountSettings(config, name)).code).toBe(ErrorCode.PROVIDER_ACCOUNT_NOT_FOUND);
  });
});
