import { DomainError, ErrorCode, MASK, type SecretBox } from '@payhub/common';
import type { ProviderConfig, ProviderConfigDescriptor } from './provider-config.types';
import { ValidationIssues } from './validation-issues';

/** A secret sent back as shown (`MASK`, or `maskSecret`'s `MASK` + last 4) means "keep the stored one". */
export function isMasked(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(MASK);
}

/**
 * Seals every secret of a validated config for storage. A masked secret keeps the value sealed in
 * `previous` (the stored config) for the same account and field; without one it is a validation error,
 * since storing the mask would silently replace the real key.
 */
export function sealSecrets<C extends ProviderConfig<object>>(
  descriptor: ProviderConfigDescriptor,
  config: C,
  box: SecretBox,
  previous?: ProviderConfig<object> | null,
  /** Set when a base URL moves to another host: a kept secret would be sent to a host it was never meant for. */
  hostsChanged: string[] = [],
): C {
  const issues = new ValidationIssues();
  const sealed = mapSecrets(descriptor, config, (value, account, field) => {
    if (!isMasked(value)) return box.seal(value);
    if (hostsChanged.length) {
      issues.add(`accounts.${account}.${field}`, `is masked, but ${hostsChanged.join(', ')} moves to another host: send every secret again`);
      return value;
    }
    const stored = previous ? fieldOf(previous, account, field) : undefined;
    if (typeof stored === 'string' && box.isSealed(stored)) return stored;
    issues.add(`accounts.${account}.${field}`, 'is masked but no stored value exists; send the secret itself');
    return value;
  });
  if (!issues.empty) throw DomainError.validation(issues.details(), 'The provider config is invalid');
  return sealed;
}

/** Base URL names whose host (scheme, host, port) differs from the stored config's. */
export function changedHosts(config: ProviderConfig<object>, previous: ProviderConfig<object> | null): string[] {
  if (!previous) return [];
  return Object.entries(config.baseUrls)
    .filter(([name, url]) => {
      const before = previous.baseUrls[name];
      return before === undefined || originOf(before) !== originOf(url);
    })
    .map(([name]) => `baseUrls.${name}`);
}

/**
 * What of a change can move money or send a credential elsewhere (maker-checker, DESIGN §12): base
 * URLs that differ, and secrets that differ from the stored ones (a new account's secrets included).
 * `config` may hold clear or masked secrets (a masked one is unchanged); `previous` holds sealed ones.
 */
export function sensitiveChanges(
  descriptor: ProviderConfigDescriptor,
  config: ProviderConfig<object>,
  previous: ProviderConfig<object>,
  box: SecretBox,
  configSealed = false,
): string[] {
  const changes: string[] = [];
  const names = new Set([...Object.keys(config.baseUrls), ...Object.keys(previous.baseUrls)]);
  for (const name of names) if (config.baseUrls[name] !== previous.baseUrls[name]) changes.push(`baseUrls.${name}`);
  mapSecrets(descriptor, config, (value, account, field) => {
    const stored = fieldOf(previous, account, field);
    const clear = configSealed ? box.open(value) : value;
    if (!configSealed && isMasked(value)) return value;
    if (typeof stored !== 'string' || box.open(stored) !== clear) changes.push(`accounts.${account}.${field}`);
    return value;
  });
  return changes;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** The shape of the config with every secret replaced by `MASK`; no character of a secret is revealed. */
export function maskConfig<C extends ProviderConfig<object>>(descriptor: ProviderConfigDescriptor, config: C): C {
  return mapSecrets(descriptor, config, () => MASK);
}

/** Clear secrets for adapters. Never log or return the result. */
export function openSecrets<C extends ProviderConfig<object>>(descriptor: ProviderConfigDescriptor, config: C, box: SecretBox): C {
  return mapSecrets(descriptor, config, (value, account, field) => {
    try {
      return box.open(value);
    } catch {
      throw new DomainError(ErrorCode.PROVIDER_CONFIG_INVALID, 'A stored provider secret cannot be decrypted', [
        { field: `accounts.${account}.${field}`, issue: 'is not a secret sealed with a known key' },
      ]);
    }
  });
}

type SecretMapper = (value: string, account: string, field: string) => string;

function mapSecrets<C extends ProviderConfig<object>>(descriptor: ProviderConfigDescriptor, config: C, map: SecretMapper): C {
  const accounts = Object.entries(config.accounts).map(([name, account]) => {
    const copy = structuredClone(account) as Record<string, unknown>;
    for (const field of descriptor.secretFields) {
      const value = copy[field];
      if (typeof value === 'string') copy[field] = map(value, name, field);
    }
    return [name, copy] as const;
  });
  return { ...config, baseUrls: { ...config.baseUrls }, accounts: Object.fromEntries(accounts) };
}

function fieldOf(config: ProviderConfig<object>, account: string, field: string): unknown {
  const stored = Object.hasOwn(config.accounts, account) ? config.accounts[account] : undefined;
  return stored ? (stored as Record<string, unknown>)[field] : undefined;
}
