import type { RoutingRuleDto } from '@payhub/routing';

/**
 * The demo merchant's Paykassma config and routing (DESIGN §11). The keys are the sandbox's demo
 * account (apps/sandbox/README.md); they are not secrets anywhere else.
 */
export const PAYKASSMA_DEMO_SEED = {
  provider: 'paykassma',
  config: (sandboxUrl: string): Record<string, unknown> => ({
    enabled: true,
    testMode: true,
    defaultDescriptor: 'payhub demo payout',
    baseUrls: { api: `${sandboxUrl}/paykassma` },
    accounts: {
      DEFAULT: {
        pluginApiSecret: 'demo-plugin-secret',
        withdrawalPrivateKey: 'demo-withdrawal-key',
        postbackAccessKey: 'demo-access-key',
        postbackPrivateKey: 'demo-postback-key',
        supportedCurrencies: 'INR|BDT|PYG',
        pluginUrl: `${sandboxUrl}/paykassma/plugin`,
      },
    },
  }),
  rules: [
    rule('Paykassma INR wallets', ['paytm', 'phone_pe', 'upi_p2p', 'upi_ib', 'imps_ib'], 'INR'),
    rule('Paykassma BDT wallets', ['bkash', 'nagad', 'bkash_api', 'nagad_api'], 'BDT'),
    rule('Paykassma PYG Itau', ['itau_ml'], 'PYG'),
  ],
};

function rule(name: string, services: string[], currency: string): RoutingRuleDto {
  return {
    name,
    priority: 200,
    enabled: true,
    when: { txTypes: ['WalletDeposit', 'WalletWithdrawal', 'BankLocalWithdrawal'], services, currencies: [currency] },
    then: { targets: [{ provider: 'paykassma', account: 'DEFAULT', weight: 100 }], fallback: [] },
  } as RoutingRuleDto;
}
