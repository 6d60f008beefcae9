import type { RoutingRuleDto } from '@payhub/routing';
import { TxType } from '@payhub/domain';

/** DESIGN §11: Latin American currencies go to Kasha, for cards, bank transfers and payouts. */
export const KASHA_DEMO_CURRENCIES = ['BRL', 'ARS', 'MXN', 'CLP', 'COP', 'PEN'];

/** The demo merchant's Kasha config (pointing at the sandbox's Kasha simulator) and its routing. */
export const KASHA_DEMO_SEED = {
  provider: 'kasha',
  config: (sandboxUrl: string): Record<string, unknown> => ({
    enabled: true,
    testMode: true,
    defaultDescriptor: 'payhub demo',
    baseUrls: { api: `${sandboxUrl}/kasha` },
    accounts: {
      DEFAULT: {
        apiKey: 'kasha-demo-key',
        apiKeyHeader: 'x-api-key',
        supportedCurrencies: KASHA_DEMO_CURRENCIES.join('|'),
        depositFlow: 'direct',
      },
    },
  }),
  rules: [
    {
      name: 'LatAm cards and bank transfers (Kasha)',
      priority: 300,
      enabled: true,
      when: { txTypes: [TxType.CreditcardDeposit, TxType.BankDeposit], currencies: KASHA_DEMO_CURRENCIES },
      then: { targets: [{ provider: 'kasha', account: 'DEFAULT', weight: 100 }], fallback: [] },
    },
    {
      name: 'LatAm bank payouts (Kasha)',
      priority: 310,
      enabled: true,
      when: { txTypes: [TxType.BankLocalWithdrawal], currencies: KASHA_DEMO_CURRENCIES },
      then: { targets: [{ provider: 'kasha', account: 'DEFAULT', weight: 100 }], fallback: [] },
    },
  ] as RoutingRuleDto[],
};
