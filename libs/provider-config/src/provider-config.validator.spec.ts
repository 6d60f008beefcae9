import { ErrorCode } from '@payhub/common';
import {
  domainErrorOf,
  fieldsOf,
  interkassaInput,
  issueOf,
  kashaInput,
  paykassmaInput,
  registerTestDescriptors,
} from './__fixtures__/provider-config.fixtures';
import { validateProviderConfig } from './provider-config.validator';

type Json = Record<string, any>;

describe('validateProviderConfig', () => {
  beforeAll(registerTestDescriptors);

  const account = (input: Json, name = 'DEFAULT'): Json => input.accounts[name];

  describe('valid documents', () => {
    it('returns an Interkassa config unchanged apart from defaults', () => {
      const input = interkassaInput();
      const config = validateProviderConfig('interkassa', input);
      const expected = structuredClone(input) as Json;
      expected.accounts.UAH_ONLY.signAlgorithm = 'sha256';
      expect(config).toEqual(expected);
    });

    it('fills config and account defaults and leaves no undefined keys', () => {
      const config = validateProviderConfig('interkassa', { accounts: { DEFAULT: { checkoutId: 'co', secretKey: 'sk' } } });
      expect(config).toEqual({
        enabled: true,
        testMode: false,
        baseUrls: { api: 'https://api.interkassa.com/v1', sci: 'https://sci.interkassa.com/' },
        accounts: { DEFAULT: { checkoutId: 'co', secretKey: 'sk', signAlgorithm: 'sha256' } },
      });
      expect(Object.keys(config)).toEqual(['enabled', 'testMode', 'baseUrls', 'accounts']);
    });

    it('keeps a given base URL and fills the other from the defaults', () => {
      const input = interkassaInput();
      input.baseUrls = { sci: 'http://localhost:4000/interkassa/sci/' };
      expect(validateProviderConfig('interkassa', input).baseUrls).toEqual({
        api: 'https://api.interkassa.com/v1',
        sci: 'http://localhost:4000/interkassa/sci/',
      });
    });

    it('does not share objects with the input', () => {
      const input = interkassaInput();
      const config = validateProviderConfig('interkassa', input) as Json;
      account(input).threeDsRouting.mode = 'off';
      expect(config.accounts.DEFAULT.threeDsRouting.mode).toBe('required_3ds_v2');
    });

    it('treats null fields as not set', () => {
      const input = interkassaInput() as Json;
      input.paywayMapping = null;
      input.baseUrls.api = null;
      input.accounts.DEFAULT.walletId = null;
      input.accounts.DEFAULT.threeDsRouting = null;
      const config = validateProviderConfig('interkassa', input) as Json;
      expect(config).not.toHaveProperty('paywayMapping');
      expect(config.baseUrls.api).toBe('https://api.interkassa.com/v1');
      expect(config.accounts.DEFAULT).not.toHaveProperty('walletId');
      expect(config.accounts.DEFAULT).not.toHaveProperty('threeDsRouting');

      input.accounts.DEFAULT.checkoutId = null;
      expect(
        issueOf(
          domainErrorOf(() => validateProviderConfig('interkassa', input)),
          'accounts.DEFAULT.checkoutId',
        ),
      ).toBe('is required');
    });

    it('accepts a Paykassma config', () => {
      const input = paykassmaInput();
      expect(validateProviderConfig('paykassma', input)).toEqual(input);
    });

    it('accepts a Kasha config, storing path overrides only and defaulting apiKeyHeader', () => {
      const config = validateProviderConfig('kasha', kashaInput()) as Json;
      expect(config.accounts.DEFAULT.paths).toEqual({
        settlePayout: '/v3/settle-payout',
        transactionStatus: '/v2/transaction/{transactionId}',
      });
      expect(config.accounts.DEFAULT.apiKeyHeader).toBe('Authorization');
      expect(config.accounts['eu-2']).toEqual({ apiKey: 'kasha-key-2', apiKeyHeader: 'x-api-key' });
      expect(config.baseUrls).toEqual({ api: 'http://127.0.0.1:4000/kasha' });
    });

    it('accepts a Paykassma account without the optional withdrawal key', () => {
      const input = paykassmaInput();
      delete account(input).withdrawalPrivateKey;
      expect(validateProviderConfig('paykassma', input).accounts.DEFAULT).not.toHaveProperty('withdrawalPrivateKey');
    });
  });

  describe('invalid documents', () => {
    it('names every bad field by its full path in one VALIDATION_FAILED error', () => {
      const input = interkassaInput() as Json;
      delete input.accounts.DEFAULT.checkoutId;
      input.accounts.DEFAULT.signAlgorithm = 'sha1';
      input.accounts.DEFAULT.supportedCurrencies = 'UAH|XXX';
      input.accounts.DEFAULT.threeDsRouting = { enabled: true, mode: 'always' };
      input.accounts.UAH_ONLY.use3Dsecure = 'yes';
      input.baseUrls.api = 'ftp://api.interkassa.com';
      input.timeoutMs = 500;
      input.paywayMapping = 'VISA=visa';
      input.enabled = 'true';

      const error = domainErrorOf(() => validateProviderConfig('interkassa', input));

      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(fieldsOf(error)).toEqual([
        'accounts.DEFAULT.checkoutId',
        'accounts.DEFAULT.signAlgorithm',
        'accounts.DEFAULT.supportedCurrencies',
        'accounts.DEFAULT.threeDsRouting.mode',
        'accounts.UAH_ONLY.use3Dsecure',
        'baseUrls.api',
        'enabled',
        'paywayMapping',
        'timeoutMs',
      ]);
      expect(issueOf(error, 'accounts.DEFAULT.checkoutId')).toBe('is required');
    });

    it('rejects unknown fields at every level', () => {
      const input = interkassaInput() as Json;
      input.foo = 1;
      input.baseUrls.callback = 'https://x.test';
      input.accounts.DEFAULT.bar = 'x';
      input.accounts.DEFAULT.threeDsRouting.provider = 'x';

      const error = domainErrorOf(() => validateProviderConfig('interkassa', input));

      expect(fieldsOf(error)).toEqual(['accounts.DEFAULT.bar', 'accounts.DEFAULT.threeDsRouting.provider', 'baseUrls.callback', 'foo']);
      expect(issueOf(error, 'foo')).toBe('is not a known field');
      expect(issueOf(error, 'baseUrls.callback')).toBe('is not a known base URL; expected api, sci');
    });

    it('rejects unknown fields inside Kasha paths', () => {
      const input = kashaInput() as Json;
      input.accounts.DEFAULT.paths.statusCheck = '/v2/status';
      const error = domainErrorOf(() => validateProviderConfig('kasha', input));
      expect(fieldsOf(error)).toEqual(['accounts.DEFAULT.paths.statusCheck']);
    });

    it.each([
      ['v2/refund', 'refund'],
      ['//evil.example/refund', 'refund'],
      ['/v2/refund?x=1', 'refund'],
      ['/v2/transactions', 'transactionStatus'],
    ])('rejects the Kasha path %s', (path, name) => {
      const input = kashaInput() as Json;
      input.accounts.DEFAULT.paths[name] = path;
      const error = domainErrorOf(() => validateProviderConfig('kasha', input));
      expect(fieldsOf(error)).toEqual([`accounts.DEFAULT.paths.${name}`]);
    });

    it('rejects an apiKeyHeader that is not a header name', () => {
      const input = kashaInput() as Json;
      input.accounts.DEFAULT.apiKeyHeader = 'x api key';
      expect(fieldsOf(domainErrorOf(() => validateProviderConfig('kasha', input)))).toEqual(['accounts.DEFAULT.apiKeyHeader']);
    });

    it('requires the Interkassa API credentials as a pair', () => {
      const input = interkassaInput() as Json;
      delete input.accounts.DEFAULT.customerId;
      input.accounts.UAH_ONLY.customerId = 'only-the-user';
      const error = domainErrorOf(() => validateProviderConfig('interkassa', input));
      // accountID comes with the API credentials too (issue 15: every REST call sends Ik-Api-Account-Id).
      expect(fieldsOf(error)).toEqual(['accounts.DEFAULT.customerId', 'accounts.UAH_ONLY.accountID', 'accounts.UAH_ONLY.apiKey']);
      expect(issueOf(error, 'accounts.DEFAULT.customerId')).toBe('customerId is required when apiKey is set');
    });

    it('names every missing required Paykassma field and the base URL that has no default', () => {
      const error = domainErrorOf(() => validateProviderConfig('paykassma', { accounts: { DEFAULT: {} } }));
      expect(fieldsOf(error)).toEqual([
        'accounts.DEFAULT.pluginApiSecret',
        'accounts.DEFAULT.postbackAccessKey',
        'accounts.DEFAULT.postbackPrivateKey',
        'baseUrls.api',
      ]);
      expect(issueOf(error, 'baseUrls.api')).toBe('is required');
    });

    it('requires at least one account with a valid name and an object value', () => {
      expect(fieldsOf(domainErrorOf(() => validateProviderConfig('kasha', {})))).toEqual(['accounts']);
      expect(fieldsOf(domainErrorOf(() => validateProviderConfig('kasha', { accounts: {} })))).toEqual(['accounts']);
      const error = domainErrorOf(() => validateProviderConfig('kasha', { accounts: { 'bad name': { apiKey: 'k' }, ok: 'not an object', list: [] } }));
      expect(fieldsOf(error)).toEqual(['accounts.bad name', 'accounts.list', 'accounts.ok']);
    });

    it('rejects base URLs with credentials or without http(s)', () => {
      const input = kashaInput() as Json;
      input.baseUrls.api = 'https://user:pass@api.kasha.test';
      expect(fieldsOf(domainErrorOf(() => validateProviderConfig('kasha', input)))).toEqual(['baseUrls.api']);
      input.baseUrls = 'https://api.kasha.test';
      expect(fieldsOf(domainErrorOf(() => validateProviderConfig('kasha', input)))).toEqual(['baseUrls']);
    });

    it('refuses secrets and other strings with surrounding whitespace instead of trimming them', () => {
      const input = paykassmaInput() as Json;
      input.accounts.DEFAULT.postbackPrivateKey = 'key\n';
      const error = domainErrorOf(() => validateProviderConfig('paykassma', input));
      expect(error.details).toEqual([{ field: 'accounts.DEFAULT.postbackPrivateKey', issue: 'must not start or end with whitespace' }]);
    });

    it('rejects non-object nested settings and a repeated currency', () => {
      const input = kashaInput() as Json;
      input.accounts.DEFAULT.threeDsRouting = 'required_3ds_v2';
      input.accounts.DEFAULT.paths = [];
      input.accounts['eu-2'].supportedCurrencies = 'EUR|EUR';
      const error = domainErrorOf(() => validateProviderConfig('kasha', input));
      expect(fieldsOf(error)).toEqual(['accounts.DEFAULT.paths', 'accounts.DEFAULT.threeDsRouting', 'accounts.eu-2.supportedCurrencies']);
      expect(issueOf(error, 'accounts.DEFAULT.threeDsRouting')).toBe('threeDsRouting must be an object');
    });

    it.each([null, 'text', [], 42])('rejects a document that is not an object: %p', (input) => {
      expect(domainErrorOf(() => validateProviderConfig('paykassma', input)).details).toEqual([{ field: 'config', issue: 'must be a JSON object' }]);
    });

    it('fails with PROVIDER_NOT_FOUND for a provider without a registered schema', () => {
      expect(domainErrorOf(() => validateProviderConfig('nope', {})).code).toBe(ErrorCode.PROVIDER_NOT_FOUND);
    });
  });

  it('keeps an account named __proto__ as data without touching any prototype', () => {
    const input = JSON.parse('{"accounts":{"__proto__":{"apiKey":"k"}}}') as unknown;
    const config = validateProviderConfig('kasha', input);
    expect(Object.hasOwn(config.accounts, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(config.accounts)).toBe(Object.prototype);
    expect(({} as Json).apiKey).toBeUndefined();
  });
});
