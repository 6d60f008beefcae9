import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { DomainError } from '@payhub/common';
import { readPaywayMapping } from '@payhub/domain';
import { isHttpUrl } from '@payhub/providers-core';
import { descriptorFor } from './config-descriptor.registry';
import { ACCOUNT_NAME, CONFIG_DEFAULTS, ProviderConfigDto } from './provider-config.dto';
import type { ProviderConfig, ProviderConfigDescriptor } from './provider-config.types';
import { ValidationIssues, joinPath } from './validation-issues';

const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: true },
};

/** Validates a config document for a registered provider; throws VALIDATION_FAILED naming every bad field. */
export function validateProviderConfig(provider: string, input: unknown): ProviderConfig {
  return validateConfigWith(descriptorFor(provider), input) as ProviderConfig;
}

/**
 * Returns the document as it should be stored (secrets still clear): defaults filled in, `null`
 * fields dropped (null means "not set"), nothing else changed. Strings with surrounding whitespace
 * are refused rather than trimmed, because silently trimming a key changes a secret and the
 * PaymentIQ XML form cannot carry such whitespace.
 */
export function validateConfigWith<A extends object>(descriptor: ProviderConfigDescriptor<A>, raw: unknown): ProviderConfig<A> {
  if (!isPlainObject(raw)) {
    throw DomainError.validation([{ field: 'config', issue: 'must be a JSON object' }], 'The provider config is invalid');
  }
  const input = withoutNulls(raw);
  const issues = new ValidationIssues();
  issues.addClassValidatorErrors(validateSync(plainToInstance(ProviderConfigDto, input), VALIDATOR_OPTIONS), '');
  const baseUrls = checkBaseUrls(descriptor, input.baseUrls, issues);
  const accounts = checkAccounts(descriptor, input.accounts, issues);
  checkSurroundingWhitespace(input, '', issues);
  // Refused when stored, not first at payment time: a typo in the mapping would otherwise surface as refused card deposits.
  if (typeof input.paywayMapping === 'string') for (const p of readPaywayMapping(input.paywayMapping).problems) issues.add(p.field, p.issue);
  if (!issues.empty) throw DomainError.validation(issues.details(), 'The provider config is invalid');

  const config: ProviderConfig<A> = {
    enabled: (input.enabled as boolean | undefined) ?? CONFIG_DEFAULTS.enabled,
    testMode: (input.testMode as boolean | undefined) ?? CONFIG_DEFAULTS.testMode,
    useViqProxy: input.useViqProxy as boolean | undefined,
    paywayMapping: input.paywayMapping as string | undefined,
    defaultDescriptor: input.defaultDescriptor as string | undefined,
    baseUrls,
    timeoutMs: input.timeoutMs as number | undefined,
    accounts,
  };
  return withoutUndefined(config);
}

function checkBaseUrls(descriptor: ProviderConfigDescriptor<object>, raw: unknown, issues: ValidationIssues): Record<string, string> {
  const given = isPlainObject(raw) ? raw : {};
  for (const [name, url] of Object.entries(given)) {
    if (!descriptor.baseUrlNames.includes(name)) {
      issues.add(`baseUrls.${name}`, `is not a known base URL; expected ${descriptor.baseUrlNames.join(', ')}`);
    } else if (!isHttpUrl(url)) {
      issues.add(`baseUrls.${name}`, 'must be an absolute http(s) URL without credentials');
    }
  }
  const baseUrls: Record<string, string> = {};
  for (const name of descriptor.baseUrlNames) {
    const url = given[name] ?? descriptor.defaults.baseUrls[name];
    if (url === undefined) {
      if (raw === undefined || isPlainObject(raw)) issues.add(`baseUrls.${name}`, 'is required');
    } else {
      baseUrls[name] = url as string;
    }
  }
  return baseUrls;
}

function checkAccounts<A extends object>(descriptor: ProviderConfigDescriptor<A>, raw: unknown, issues: ValidationIssues): Record<string, A> {
  if (!isPlainObject(raw)) return {};
  if (Object.keys(raw).length === 0) issues.add('accounts', 'must contain at least one account');
  const accounts: Array<[string, A]> = [];
  for (const [name, value] of Object.entries(raw)) {
    const path = `accounts.${name}`;
    if (!ACCOUNT_NAME.test(name)) {
      issues.add(path, 'account name must be 1-32 letters, digits, "_" or "-"');
      continue;
    }
    if (!isPlainObject(value)) {
      issues.add(path, 'must be an object');
      continue;
    }
    const account = withAccountDefaults(descriptor, value);
    issues.addClassValidatorErrors(validateSync(plainToInstance(descriptor.accountClass, account), VALIDATOR_OPTIONS), path);
    accounts.push([name, structuredClone(account) as A]);
  }
  // fromEntries defines own properties, so an account named "__proto__" cannot reach the prototype.
  return Object.fromEntries(accounts);
}

function withAccountDefaults(descriptor: ProviderConfigDescriptor<object>, account: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...account };
  for (const [key, value] of Object.entries(descriptor.defaults.account)) {
    if (merged[key] === undefined) merged[key] = value;
  }
  return merged;
}

function checkSurroundingWhitespace(value: unknown, path: string, issues: ValidationIssues): void {
  if (typeof value === 'string') {
    if (value !== value.trim() && !issues.has(path)) issues.add(path, 'must not start or end with whitespace');
  } else if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) checkSurroundingWhitespace(child, joinPath(path, key), issues);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutNulls(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object)
      .filter(([, value]) => value !== null)
      .map(([key, value]) => [key, isPlainObject(value) ? withoutNulls(value) : value]),
  );
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
