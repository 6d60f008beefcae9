import { randomToken } from '@payhub/common';
import { ProviderConfigService } from '@payhub/provider-config';
import { RoutingService } from '@payhub/routing';
import { INTERKASSA_DEMO_SEED } from '../../scripts/demo/interkassa.demo-seed';
import type { TestApp } from './test-app';
import type { TestSandbox } from './test-sandbox';

export type InterkassaKeys = {
  checkoutId: string;
  customerId: string;
  apiKey: string;
  secretKey: string;
  testKey: string;
  accountID: string;
  walletId: string;
};

export type InterkassaSetup = {
  /** Currencies the account takes (`supportedCurrencies`, `|`-separated). */
  currencies?: string;
  purseCurrency?: string;
  timeoutMs?: number;
  /** Extra fields of the sandbox checkout (a payout callback URL, a purse balance). */
  checkout?: Record<string, unknown>;
};

/**
 * Gives a merchant a live (not test-mode) Interkassa account on the sandbox: a checkout with fresh keys
 * registered in the sandbox, the provider config pointing at it, and the demo's card routing rules.
 */
export async function setUpInterkassa(t: TestApp, sandbox: TestSandbox, merchantId: string, setup: InterkassaSetup = {}): Promise<InterkassaKeys> {
  const r = randomToken(8).toLowerCase();
  const keys: InterkassaKeys = {
    checkoutId: `co-${r}`,
    customerId: `user-${r}`,
    apiKey: `api-${r}`,
    secretKey: `sign-${r}`,
    testKey: `test-${r}`,
    accountID: `acc-${r}`,
    walletId: `purse-${r}`,
  };
  const registered = await fetch(`${sandbox.url}/interkassa/_sandbox/checkouts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...keys, signAlgorithm: 'sha256', ...setup.checkout }),
  });
  if (!registered.ok) throw new Error(`the sandbox refused the Interkassa checkout: ${registered.status} ${await registered.text()}`);
  await t.app.get(ProviderConfigService).put(
    merchantId,
    'interkassa',
    {
      enabled: true,
      testMode: false,
      baseUrls: { api: `${sandbox.url}/interkassa/api/v1`, sci: `${sandbox.url}/interkassa/sci` },
      ...(setup.timeoutMs ? { timeoutMs: setup.timeoutMs } : {}),
      accounts: {
        DEFAULT: {
          ...keys,
          signAlgorithm: 'sha256',
          method: 'card',
          ...(setup.purseCurrency ? { purseCurrency: setup.purseCurrency } : {}),
          supportedCurrencies: setup.currencies ?? 'UAH',
        },
      },
    },
    'test',
  );
  await t.app.get(RoutingService).replaceRules(merchantId, INTERKASSA_DEMO_SEED.rules, 'test');
  return keys;
}
