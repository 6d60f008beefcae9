import { DomainError, ErrorCode, SecretBox } from '@payhub/common';
import { Secret, type ResolvedAccount } from '@payhub/providers-core';
import { resolveAccountSettings } from './account-settings.resolver';
import { parseCurrencyList } from '@payhub/providers-core';
import { openSecrets } from './config-secrets';
import { descriptorFor } from './config-descriptor.registry';
import type { ProviderConfig } from './provider-config.types';

export interface AccountAvailability {
  available: boolean;
  reason?: string;
  threeDsOverride?: { enabled: boolean; mode: string } | null;
}

/** A merchant's provider configs as loaded once for one payment: routing and the adapter read the same snapshot. */
export class MerchantProviderConfigs {
  /** Opening secrets is the costly part of resolving; a snapshot resolves each account once. */
  private readonly resolved = new Map<string, ResolvedAccount>();

  constructor(
    readonly merchantId: string,
    private readonly configs: ReadonlyMap<string, ProviderConfig<object>>,
    private readonly box: SecretBox,
    private readonly defaultTimeoutMs: number,
  ) {}

  /** Every account of one provider, resolved (used to find the keys of a callback that names no transaction). */
  accountsOf(provider: string): ResolvedAccount[] {
    const config = this.configs.get(provider);
    return config ? Object.keys(config.accounts).map((name) => this.resolve(provider, name)) : [];
  }

  has(provider: string): boolean {
    return this.configs.has(provider);
  }

  /** Config enabled, account present, currency within the account's supportedCurrencies (when set). */
  availability(provider: string, account: string, currency: string): AccountAvailability {
    const config = this.configs.get(provider);
    if (!config) return { available: false, reason: `${provider} is not configured for this merchant` };
    if (!config.enabled) return { available: false, reason: `${provider} config is disabled` };
    const settings = Object.hasOwn(config.accounts, account) ? (config.accounts[account] as Record<string, unknown>) : undefined;
    if (!settings) return { available: false, reason: `${provider} has no account ${account}` };
    const supported = typeof settings.supportedCurrencies === 'string' ? parseCurrencyList(settings.supportedCurrencies) : [];
    if (supported.length && !supported.includes(currency)) return { available: false, reason: `${provider}/${account} does not support ${currency}` };
    const override = settings.threeDsRouting as { enabled: boolean; mode: string } | undefined;
    return { available: true, threeDsOverride: override ?? null };
  }

  /** Deeply frozen: an adapter can never change what the next payment reads (an attempt throws). */
  resolve(provider: string, account: string): ResolvedAccount {
    const key = `${provider}/${account}`;
    let resolved = this.resolved.get(key);
    if (!resolved) {
      resolved = deepFreeze(this.open(provider, account));
      this.resolved.set(key, resolved);
    }
    return resolved;
  }

  private open(provider: string, account: string): ResolvedAccount {
    const config = this.configs.get(provider);
    if (!config) throw new DomainError(ErrorCode.PROVIDER_CONFIG_NOT_FOUND, `${provider} is not configured for merchant ${this.merchantId}`);
    const descriptor = descriptorFor(provider);
    const resolved = resolveAccountSettings(openSecrets(descriptor, config, this.box), account);
    // Secrets travel as Secret: printed, logged or serialised they read [redacted].
    for (const field of descriptor.secretFields) {
      if (typeof resolved.settings[field] === 'string') resolved.settings[field] = new Secret(resolved.settings[field] as string);
    }
    return {
      provider,
      name: account,
      merchantId: this.merchantId,
      settings: resolved.settings,
      testMode: resolved.testMode,
      paywayMapping: resolved.paywayMapping,
      descriptor: resolved.descriptor,
      baseUrls: resolved.baseUrls,
      timeoutMs: resolved.timeoutMs ?? this.defaultTimeoutMs,
    };
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
