import { DomainError, ErrorCode, MASK, SecretBox, maskSecret } from '@payhub/common';
import {
  INTERKASSA_CONFIG_DESCRIPTOR,
  PAYKASSMA_CONFIG_DESCRIPTOR,
  domainErrorOf,
  fieldsOf,
  interkassaInput,
  paykassmaInput,
  registerTestDescriptors,
} from './__fixtures__/provider-config.fixtures';
import { isMasked, maskConfig, openSecrets, sealSecrets } from './config-secrets';
import type { ProviderConfig } from './provider-config.types';
import { validateProviderConfig } from './provider-config.validator';

describe('config secrets', () => {
  const box = SecretBox.fromMasterKey('0'.repeat(64));
  const descriptor = INTERKASSA_CONFIG_DESCRIPTOR;
  let clear: ProviderConfig;

  beforeAll(() => {
    registerTestDescriptors();
    clear = validateProviderConfig('interkassa', interkassaInput());
  });

  describe('sealSecrets', () => {
    it('seals exactly the secret fields and leaves everything else as it was', () => {
      const sealed = sealSecrets(descriptor, clear, box);
      const account = sealed.accounts.DEFAULT;

      for (const field of ['apiKey', 'secretKey', 'testKey']) {
        expect(box.isSealed(account[field] as string)).toBe(true);
        expect(box.open(account[field] as string)).toBe(clear.accounts.DEFAULT[field]);
      }
      expect({ ...account, apiKey: 0, secretKey: 0, testKey: 0 }).toEqual({ ...clear.accounts.DEFAULT, apiKey: 0, secretKey: 0, testKey: 0 });
      expect(sealed.accounts.UAH_ONLY).not.toHaveProperty('apiKey');
      expect(box.open(sealed.accounts.UAH_ONLY.secretKey as string)).toBe('42');
      expect({ ...sealed, accounts: null }).toEqual({ ...clear, accounts: null });
    });

    it('does not modify its input', () => {
      const before = structuredClone(clear);
      sealSecrets(descriptor, clear, box);
      expect(clear).toEqual(before);
    });

    it('seals all four Paykassma keys', () => {
      const config = validateProviderConfig('paykassma', paykassmaInput());
      const sealed = sealSecrets(PAYKASSMA_CONFIG_DESCRIPTOR, config, box).accounts.DEFAULT;
      for (const field of ['pluginApiSecret', 'withdrawalPrivateKey', 'postbackAccessKey', 'postbackPrivateKey']) {
        expect(box.isSealed(sealed[field] as string)).toBe(true);
      }
      expect(sealed.supportedCurrencies).toBe('INR|BDT');
    });

    it('keeps the stored sealed value for a masked secret, whichever mask form comes back', () => {
      const previous = sealSecrets(descriptor, clear, box);
      const incoming = structuredClone(clear);
      incoming.accounts.DEFAULT.apiKey = MASK;
      incoming.accounts.DEFAULT.secretKey = maskSecret('ik-sign-key-long-enough-1234');
      incoming.accounts.DEFAULT.testKey = 'a-new-test-key';

      const sealed = sealSecrets(descriptor, incoming, box, previous);

      expect(sealed.accounts.DEFAULT.apiKey).toBe(previous.accounts.DEFAULT.apiKey);
      expect(sealed.accounts.DEFAULT.secretKey).toBe(previous.accounts.DEFAULT.secretKey);
      expect(box.open(sealed.accounts.DEFAULT.testKey as string)).toBe('a-new-test-key');
    });

    it('refuses a masked secret that has no stored value, naming every such field', () => {
      const previous = sealSecrets(descriptor, clear, box);
      const incoming = structuredClone(clear);
      incoming.accounts.DEFAULT.apiKey = MASK;
      incoming.accounts.UAH_ONLY.secretKey = MASK;
      incoming.accounts.RENAMED = { ...incoming.accounts.DEFAULT, secretKey: MASK };

      const withPrevious = domainErrorOf(() => sealSecrets(descriptor, incoming, box, previous));
      expect(withPrevious.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(fieldsOf(withPrevious)).toEqual(['accounts.RENAMED.apiKey', 'accounts.RENAMED.secretKey']);

      const withoutPrevious = domainErrorOf(() => sealSecrets(descriptor, incoming, box));
      expect(fieldsOf(withoutPrevious)).toEqual([
        'accounts.DEFAULT.apiKey',
        'accounts.RENAMED.apiKey',
        'accounts.RENAMED.secretKey',
        'accounts.UAH_ONLY.secretKey',
      ]);
    });

    it('refuses a masked secret whose stored value is absent in the previous account', () => {
      const previous = sealSecrets(descriptor, clear, box);
      const incoming = structuredClone(clear);
      incoming.accounts.UAH_ONLY.testKey = MASK;
      expect(fieldsOf(domainErrorOf(() => sealSecrets(descriptor, incoming, box, previous)))).toEqual(['accounts.UAH_ONLY.testKey']);
    });
  });

  describe('maskConfig', () => {
    it('replaces every secret by the bare mask and reveals nothing of it', () => {
      const sealed = sealSecrets(descriptor, clear, box);
      const masked = maskConfig(descriptor, sealed);

      expect(masked.accounts.DEFAULT).toMatchObject({ apiKey: MASK, secretKey: MASK, testKey: MASK, checkoutId: clear.accounts.DEFAULT.checkoutId });
      expect(masked.accounts.UAH_ONLY).toEqual({ ...clear.accounts.UAH_ONLY, secretKey: MASK });
      const text = JSON.stringify(masked);
      for (const field of ['apiKey', 'secretKey', 'testKey']) {
        expect(text).not.toContain(sealed.accounts.DEFAULT[field] as string);
        expect(text).not.toContain(clear.accounts.DEFAULT[field] as string);
      }
    });

    it('masks clear configs too, so it is safe for logs at any stage', () => {
      expect(maskConfig(descriptor, clear).accounts.DEFAULT.apiKey).toBe(MASK);
    });
  });

  describe('openSecrets', () => {
    it('returns the clear config that was sealed', () => {
      expect(openSecrets(descriptor, sealSecrets(descriptor, clear, box), box)).toEqual(clear);
    });

    it('opens secrets sealed under a previous key after rotation', () => {
      const sealed = sealSecrets(descriptor, clear, box);
      const rotated = SecretBox.fromMasterKey('1'.repeat(64), ['0'.repeat(64)]);
      expect(openSecrets(descriptor, sealed, rotated)).toEqual(clear);
    });

    it('fails with PROVIDER_CONFIG_INVALID naming the field, without echoing the value', () => {
      const sealed = sealSecrets(descriptor, clear, box);
      sealed.accounts.DEFAULT.secretKey = 'plain-text-secret';
      const error = domainErrorOf(() => openSecrets(descriptor, sealed, box));
      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe(ErrorCode.PROVIDER_CONFIG_INVALID);
      expect(fieldsOf(error)).toEqual(['accounts.DEFAULT.secretKey']);
      expect(JSON.stringify(error.details) + error.message).not.toContain('plain-text-secret');
    });
  });

  it('recognises both mask forms', () => {
    expect(isMasked(MASK)).toBe(true);
    expect(isMasked(maskSecret('0123456789abcdefXYZW'))).toBe(true);
    expect(isMasked('*******')).toBe(false);
    expect(isMasked(undefined)).toBe(false);
  });
});
