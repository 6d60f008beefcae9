import { DomainError } from '@payhub/common';
import { INTERKASSA_CONFIG_DESCRIPTOR } from '../../../providers/interkassa/src/interkassa-account.schema';
import { KASHA_CONFIG_DESCRIPTOR } from '../../../providers/kasha/src/kasha-account.schema';
import { PAYKASSMA_CONFIG_DESCRIPTOR } from '../../../providers/paykassma/src/paykassma-account.schema';
import { registerConfigDescriptor } from '../config-descriptor.registry';

export { INTERKASSA_CONFIG_DESCRIPTOR, KASHA_CONFIG_DESCRIPTOR, PAYKASSMA_CONFIG_DESCRIPTOR };

export function registerTestDescriptors(): void {
  registerConfigDescriptor(INTERKASSA_CONFIG_DESCRIPTOR);
  registerConfigDescriptor(PAYKASSMA_CONFIG_DESCRIPTOR);
  registerConfigDescriptor(KASHA_CONFIG_DESCRIPTOR);
}

/** The DESIGN §6 example, completed with every payhub field. Secrets in clear. */
export function interkassaInput(): Record<string, unknown> {
  return {
    enabled: true,
    testMode: false,
    paywayMapping: 'VISA->visa,MASTERCARD->mastercard,VISA_UAH->visa_cpaytrz_merchant_uah',
    defaultDescriptor: 'payment description',
    baseUrls: { api: 'https://api.interkassa.com/v1', sci: 'https://sci.interkassa.com/' },
    timeoutMs: 15000,
    accounts: {
      DEFAULT: {
        customerId: '620bb219b4a69e4a9f05b3ed',
        apiKey: 'ik-api-key-0123456789',
        secretKey: 'ik-sign-key & <secret>',
        testKey: 'ik-test-key',
        accountID: '620bb252a888ad66f31d2fa1',
        checkoutId: '620bb8ed61a8e529093dea5e',
        walletId: '302120998124',
        method: 'card',
        use3Dsecure: true,
        defaultDescriptor: 'account description',
        supportedCurrencies: 'UAH|KZT|EUR|USD|GBP',
        doDefaultRedirect: false,
        signAlgorithm: 'md5',
        threeDsRouting: { enabled: true, mode: 'required_3ds_v2' },
      },
      UAH_ONLY: { checkoutId: '0001', secretKey: '42', supportedCurrencies: 'UAH' },
    },
  };
}

export function paykassmaInput(): Record<string, unknown> {
  return {
    enabled: true,
    testMode: true,
    baseUrls: { api: 'https://api.staging.client-paykassma.com' },
    accounts: {
      DEFAULT: {
        pluginApiSecret: 'plugin-secret',
        withdrawalPrivateKey: 'withdrawal-private',
        postbackAccessKey: 'uowkn0b3LfBxpcWYHi4_',
        postbackPrivateKey: 'postback-private',
        supportedCurrencies: 'INR|BDT',
      },
    },
  };
}

export function kashaInput(): Record<string, unknown> {
  return {
    enabled: false,
    testMode: true,
    defaultDescriptor: 'kasha payment',
    baseUrls: { api: 'http://127.0.0.1:4000/kasha' },
    timeoutMs: 1000,
    accounts: {
      DEFAULT: {
        apiKey: 'kasha-key-1',
        apiKeyHeader: 'Authorization',
        supportedCurrencies: 'BRL|GBP',
        paths: { settlePayout: '/v3/settle-payout', transactionStatus: '/v2/transaction/{transactionId}' },
        threeDsRouting: { enabled: false, mode: 'off' },
      },
      'eu-2': { apiKey: 'kasha-key-2' },
    },
  };
}

/** One helper for every spec: re-exported under the name these specs use. */
export { catchDomainError as domainErrorOf } from '../../../../test/support/catch-domain-error';

export function fieldsOf(error: DomainError): string[] {
  return error.details.map((detail) => detail.field).sort();
}

export function issueOf(error: DomainError, field: string): string | undefined {
  return error.details.find((detail) => detail.field === field)?.issue;
}
