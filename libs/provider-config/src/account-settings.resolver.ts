import { DomainError, ErrorCode } from '@payhub/common';
import type { ProviderConfig } from './provider-config.types';

/** Everything of `ResolvedAccount` (providers-core) that comes from the config. */
export interface ResolvedAccountSettings {
  /** The account's fields as given; clear secrets when the config came from `openSecrets`. */
  settings: Record<string, unknown>;
  /** Account-level `defaultDescriptor`, else the config-level one. */
  descriptor: string | null;
  testMode: boolean;
  paywayMapping: string | null;
  baseUrls: Record<string, string>;
  /** null when the config sets none: the caller falls back to the env-wide provider timeout. */
  timeoutMs: number | null;
}

export function resolveAccountSettings(config: ProviderConfig<object>, accountName: string): ResolvedAccountSettings {
  const account = Object.hasOwn(config.accounts, accountName) ? (config.accounts[accountName] as Record<string, unknown>) : undefined;
  if (!account) {
    throw new DomainError(ErrorCode.PROVIDER_ACCOUNT_NOT_FOUND, `Provider account ${accountName} is not configured`, [
      { field: 'account', issue: `no account named ${accountName}` },
    ]);
  }
  const accountDescriptor = typeof account.defaultDescriptor === 'string' ? account.defaultDescriptor : undefined;
  return {
    settings: structuredClone(account),
    descriptor: accountDescriptor ?? config.defaultDescriptor ?? null,
    testMode: config.testMode,
    paywayMapping: config.paywayMapping ?? null,
    baseUrls: { ...config.baseUrls },
    timeoutMs: config.timeoutMs ?? null,
  };
}
