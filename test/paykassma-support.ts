import { randomToken } from '@payhub/common';
import { ProviderConfigService } from '@payhub/provider-config';
import { PAYKASSMA_DEMO_SEED } from '../scripts/demo/paykassma.demo-seed';
import { RoutingService } from '@payhub/routing';
import { TransactionEntity, TxStatus } from '@payhub/transactions';
import { TestApp, TestMerchant } from './support/test-app';
import type { TestSandbox } from './support/test-sandbox';

export interface PkKeys {
  secret: string;
  accessKey: string;
  privateKey: string;
  withdrawalKey: string;
}

export interface PkMerchant extends TestMerchant {
  keys: PkKeys;
}

export const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** A merchant with its own Paykassma account at the sandbox (own secret and keys) and the demo routing. */
export async function pkMerchant(
  t: TestApp,
  sandbox: TestSandbox,
  options: { account?: Record<string, unknown>; sandboxAccount?: Record<string, unknown>; descriptor?: string; timeoutMs?: number } = {},
): Promise<PkMerchant> {
  const merchant = await t.newMerchant();
  const r = randomToken(10).toLowerCase();
  const keys: PkKeys = { secret: `sec-${r}`, accessKey: `ak-${r}`, privateKey: `pk-${r}`, withdrawalKey: `wk-${r}` };
  await sandboxPost(sandbox, '/paykassma/_sandbox/accounts', { ...keys, postbackUrl: `${t.http.baseUrl}/callbacks/paykassma`, ...options.sandboxAccount });
  await t.app.get(ProviderConfigService).put(
    merchant.id,
    'paykassma',
    {
      enabled: true,
      testMode: true,
      ...(options.descriptor ? { defaultDescriptor: options.descriptor } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      baseUrls: { api: `${sandbox.url}/paykassma` },
      accounts: {
        DEFAULT: {
          pluginApiSecret: keys.secret,
          withdrawalPrivateKey: keys.withdrawalKey,
          postbackAccessKey: keys.accessKey,
          postbackPrivateKey: keys.privateKey,
          supportedCurrencies: 'INR|BDT|PYG',
          pluginUrl: `${sandbox.url}/paykassma/plugin`,
          ...options.account,
        },
      },
    },
    'test',
  );
  await t.app.get(RoutingService).replaceRules(merchant.id, PAYKASSMA_DEMO_SEED.rules, 'test');
  return { ...merchant, keys };
}

export async function sandboxPost(sandbox: TestSandbox, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function sandboxGet(sandbox: TestSandbox, path: string): Promise<any> {
  return (await fetch(`${sandbox.url}${path}`)).json();
}

export function stored(t: TestApp, id: string): Promise<TransactionEntity> {
  return t.db.getRepository(TransactionEntity).findOneByOrFail({ id });
}

/** Waits for a postback (or anything else) to move the transaction to `status`. */
export async function until(t: TestApp, id: string, status: TxStatus | string, timeoutMs = 8000): Promise<TransactionEntity> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tx = await stored(t, id);
    if (tx.status === status) return tx;
    if (Date.now() > deadline) throw new Error(`${id} is ${tx.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

export function walletDeposit(service: string, currency: string, amount: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    merchantTxId: `pk-${randomToken(10)}`,
    userId: 'user-55',
    txType: 'WalletDeposit',
    service,
    amount,
    currency,
    redirectUrls: { success: 'https://m.example/ok', failure: 'https://m.example/fail', pending: 'https://m.example/wait' },
    ...overrides,
  };
}
