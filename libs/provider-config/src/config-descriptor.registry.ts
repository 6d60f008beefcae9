import { DomainError, ErrorCode } from '@payhub/common';
import type { ProviderConfigDescriptor } from './provider-config.types';

/**
 * Provider libs register their descriptors here so provider-config never imports them.
 * Process-wide on purpose: descriptors are static facts about a provider, not per-request state.
 */
const descriptors = new Map<string, ProviderConfigDescriptor>();

export function registerConfigDescriptor(descriptor: ProviderConfigDescriptor): void {
  const existing = descriptors.get(descriptor.provider);
  if (existing && existing !== descriptor) {
    throw new Error(`Two config descriptors claim the provider ${descriptor.provider}`);
  }
  descriptors.set(descriptor.provider, descriptor);
}

export function descriptorFor(provider: string): ProviderConfigDescriptor {
  const descriptor = descriptors.get(provider);
  if (!descriptor) throw new DomainError(ErrorCode.PROVIDER_NOT_FOUND, `Provider ${provider} has no config schema`);
  return descriptor;
}

export function configuredProviders(): string[] {
  return [...descriptors.keys()];
}
