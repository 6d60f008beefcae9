import type { RoutingRuleDto } from '@payhub/routing';

/** Demo credentials known to the sandbox; never real ones. */
export const INTERKASSA_DEMO_ACCOUNT = {
  customerId: 'demo-ik-user',
  apiKey: 'demo-ik-api-key',
  secretKey: 'demo-ik-sign-key',
  testKey: 'demo-ik-test-key',
  accountID: '620bb252a888ad66f31d2fa1',
  checkoutId: '620bb8ed61a8e529093dea5e',
  walletId: '302120998124',
  purseCurrency: 'UAH',
  method: 'card',
  use3Dsecure: true,
  supportedCurrencies: 'UAH|KZT|EUR|USD|GBP|INR',
  signAlgorithm: 'sha256',
  doDefaultRedirect: true,
} as const;

const target = [{ provider: 'interkassa', account: 'DEFAULT', weight: 100 }];

/** DESIGN §11: UAH/KZT/EUR/USD/GBP cards (deposits and payouts) and INR UPI / NET_BANKING / WALLET → Interkassa. */
export const INTERKASSA_DEMO_SEED = {
  provider: 'interkassa',
  config: (sandboxUrl: string): Record<string, unknown> => ({
    enabled: true,
    testMode: false,
    paywayMapping: 'VISA->visa,MASTERCARD->mastercard',
    defaultDescriptor: 'payhub demo payment',
    baseUrls: { api: `${sandboxUrl}/interkassa/api/v1`, sci: `${sandboxUrl}/interkassa/sci` },
    accounts: { DEFAULT: { ...INTERKASSA_DEMO_ACCOUNT } },
  }),
  rules: [
    {
      name: 'Interkassa cards',
      priority: 100,
      enabled: true,
      when: { txTypes: ['CreditcardDeposit', 'CreditcardWithdrawal'], currencies: ['UAH', 'KZT', 'EUR', 'USD', 'GBP'] },
      then: { targets: target, fallback: [] },
    },
    {
      name: 'Interkassa INR deposits',
      priority: 110,
      enabled: true,
      when: { txTypes: ['WalletDeposit', 'BankDeposit'], services: ['UPI', 'WALLET', 'NET_BANKING'], currencies: ['INR'] },
      then: { targets: target, fallback: [] },
    },
    {
      name: 'Interkassa INR UPI payouts',
      priority: 120,
      enabled: true,
      when: { txTypes: ['WalletWithdrawal'], services: ['UPI'], currencies: ['INR'] },
      then: { targets: target, fallback: [] },
    },
    {
      name: 'Interkassa INR bank payouts',
      priority: 130,
      enabled: true,
      when: { txTypes: ['BankLocalWithdrawal'], currencies: ['INR'] },
      then: { targets: target, fallback: [] },
    },
  ] as RoutingRuleDto[],
};
