import { KASHA_DEFAULT_PATHS, kashaPaths } from '../../providers/kasha/src/kasha-account.schema';
import {
  INTERKASSA_CONFIG_DESCRIPTOR,
  KASHA_CONFIG_DESCRIPTOR,
  PAYKASSMA_CONFIG_DESCRIPTOR,
  domainErrorOf,
  fieldsOf,
} from './__fixtures__/provider-config.fixtures';
import { isCurrencyList, isHttpUrl, isPaywayMapping, parseCurrencyList } from '@payhub/providers-core';
import { validateConfigWith } from './provider-config.validator';

describe('provider account schemas', () => {
  it('declare the secrets DESIGN §6 lists', () => {
    expect(INTERKASSA_CONFIG_DESCRIPTOR.secretFields).toEqual(['apiKey', 'secretKey', 'testKey']);
    expect(PAYKASSMA_CONFIG_DESCRIPTOR.secretFields).toEqual(['pluginApiSecret', 'withdrawalPrivateKey', 'postbackAccessKey', 'postbackPrivateKey']);
    expect(KASHA_CONFIG_DESCRIPTOR.secretFields).toEqual(['apiKey']);
  });

  it('require for Interkassa only what a deposit needs: checkoutId and secretKey', () => {
    const error = domainErrorOf(() => validateConfigWith(INTERKASSA_CONFIG_DESCRIPTOR, { accounts: { DEFAULT: {} } }));
    expect(fieldsOf(error)).toEqual(['accounts.DEFAULT.checkoutId', 'accounts.DEFAULT.secretKey']);
  });

  it('require for Kasha only the API key', () => {
    const error = domainErrorOf(() => validateConfigWith(KASHA_CONFIG_DESCRIPTOR, { accounts: { DEFAULT: {} } }));
    expect(fieldsOf(error)).toEqual(['accounts.DEFAULT.apiKey']);
  });

  it('accept every 3DS routing mode and nothing else', () => {
    for (const mode of ['off', 'only_3ds', 'required_3ds_v1', 'required_3ds_v2']) {
      const input = { accounts: { A: { apiKey: 'k', threeDsRouting: { enabled: true, mode } } } };
      expect(validateConfigWith(KASHA_CONFIG_DESCRIPTOR, input).accounts.A.threeDsRouting).toEqual({ enabled: true, mode });
    }
    const bad = { accounts: { A: { apiKey: 'k', threeDsRouting: { mode: 'required_3ds_v3' } } } };
    expect(fieldsOf(domainErrorOf(() => validateConfigWith(KASHA_CONFIG_DESCRIPTOR, bad)))).toEqual([
      'accounts.A.threeDsRouting.enabled',
      'accounts.A.threeDsRouting.mode',
    ]);
  });

  it('merge Kasha path overrides over the documented defaults', () => {
    expect(kashaPaths({ refund: '/v3/refund' })).toEqual({ ...KASHA_DEFAULT_PATHS, refund: '/v3/refund' });
    expect(kashaPaths(undefined).settlePayout).toBe('/v2/settle-payout');
    expect(KASHA_DEFAULT_PATHS).toMatchObject({
      paymentOptions: '/v2/payment-options',
      paymentSuboptions: '/v2/payment-suboptions',
      directPayment: '/v2/direct-payment',
    });
  });
});

describe('account field checks', () => {
  it.each([
    ['UAH|KZT|EUR|USD|GBP', true],
    ['USDT', true],
    ['uah', false],
    ['UAH|', false],
    ['UAH,KZT', false],
    ['', false],
  ])('currency list %p → %p', (value, expected) => {
    expect(isCurrencyList(value)).toBe(expected);
  });

  it('splits a currency list', () => {
    expect(parseCurrencyList('UAH|KZT')).toEqual(['UAH', 'KZT']);
    expect(parseCurrencyList(undefined)).toEqual([]);
  });

  it.each([
    ['VISA->visa,MASTERCARD->mastercard', true],
    ['VISA->visa, VISA_UAH->visa_cpaytrz_merchant_uah', true],
    ['VISA->', false],
    ['VISA=>visa', false],
    ['VISA->visa,', false],
  ])('payway mapping %p → %p', (value, expected) => {
    expect(isPaywayMapping(value)).toBe(expected);
  });

  it.each([
    ['https://api.interkassa.com/v1', true],
    ['http://127.0.0.1:4000/sandbox', true],
    ['http://localhost:4000', true],
    ['ftp://api.interkassa.com', false],
    ['//api.interkassa.com', false],
    ['https://user:secret@api.interkassa.com', false],
    ['https://api.interkassa.com/ v1', false],
  ])('base URL %p → %p', (value, expected) => {
    expect(isHttpUrl(value)).toBe(expected);
  });
});
