import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DomainError, ErrorCode, MetricsService } from '@payhub/common';
import type { ProviderConfigDescriptor } from './config/config-descriptor';
import { instrumentProvider } from './instrumented-provider';
import type { PaymentProvider } from './payment-provider.port';

/** Marks a class as a PaymentProvider adapter; the registry finds every marked provider at boot. */
export const PaymentProviderAdapter = DiscoveryService.createDecorator<void>();

@Injectable()
export class ProviderRegistry implements OnModuleInit {
  private readonly providers = new Map<string, PaymentProvider>();
  private readonly adapters = new Map<string, PaymentProvider>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.discover();
  }

  /** The config schema of a provider, as its adapter carries it (provider-config reads it here). */
  descriptorFor(id: string): ProviderConfigDescriptor | undefined {
    if (!this.providers.has(id)) this.discover();
    return this.providers.get(id)?.configDescriptor;
  }

  /** Finds the marked adapters; run again on a miss, so a lookup before this module's hook still sees them. */
  private discover(): void {
    // Read the mark off each instance's class, so factory-built adapters are found as well.
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as PaymentProvider | undefined;
      if (instance && typeof instance === 'object' && Reflect.hasMetadata(PaymentProviderAdapter.KEY, instance.constructor)) this.register(instance);
    }
  }

  register(provider: PaymentProvider): void {
    if (this.adapters.has(provider.id) && this.adapters.get(provider.id) !== provider) {
      throw new Error(`Two payment providers claim the id ${provider.id}`);
    }
    this.adapters.set(provider.id, provider);
    this.providers.set(provider.id, instrumentProvider(provider, this.metrics));
  }

  get(id: string): PaymentProvider {
    const provider = this.providers.get(id);
    if (!provider) throw new DomainError(ErrorCode.PROVIDER_NOT_FOUND, `Provider ${id} is not available`);
    return provider;
  }

  find(id: string): PaymentProvider | undefined {
    return this.providers.get(id);
  }

  ids(): string[] {
    this.discover();
    return [...this.providers.keys()];
  }
}
