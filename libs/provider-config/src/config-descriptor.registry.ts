import { DomainError, ErrorCode } from '@payhub/common';
import type { ProviderConfigDescriptor } from './provider-config.types';

/**
 * Where provider-config finds a provider's config schema. Adapters carry their descriptor and the
 * ProviderRegistry serves it (ProviderConfigService connects the two at boot); nothing registers itself
 * on import. `registerConfigDescriptor` remains for unit specs that run without a Nest context.
 */
export interface DescriptorSource {
  descriptorFor(provider: string): ProviderConfigDescriptor | undefined;
  ids(): string[];
}
let source: DescriptorSource | null = null;
const explicit = new Map<string, ProviderConfigDescriptor>();

export function useDescriptorSource(next: DescriptorSource): void {
  source = next;
}

export function registerConfigDescriptor(descriptor: ProviderConfigDescriptor): void {
  const existing = explicit.get(descriptor.provider);
  if (existing && existing !== descriptor) {
    throw new Error(`Two config descriptors claim the provider ${descriptor.provider}`);
  }
  explicit.set(descriptor.provider, descriptor);
}

export function descriptorFor(provider: string): ProviderConfigDescriptor {
  const descriptor = explicit.get(provider) ?? source?.descriptorFor(provider);
  if (!descriptor) throw new DomainError(ErrorCode.PROVIDER_NOT_FOUND, `Provider ${provider} has no config schema`);
  return descriptor;
}

export function configuredProviders(): string[] {
  const served = source ? source.ids().filter((id) => source!.descriptorFor(id)) : [];
  return [...new Set([...explicit.keys(), ...served])];
}
