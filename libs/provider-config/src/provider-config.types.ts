/** An account's fields as stored: plain JSON, shaped by the provider's account schema class. */
export type ProviderAccount = Record<string, unknown>;

/**
 * One merchant's config for one provider (DESIGN §6), mirroring PaymentIQ's `<Provider>Config`.
 * Plain JSON: what validation returns is exactly what gets stored (after `sealSecrets`).
 */
export interface ProviderConfig<A extends object = ProviderAccount> {
  enabled: boolean;
  testMode: boolean;
  /** PaymentIQ's proxy flag; payhub ignores it but keeps it so PaymentIQ XML round-trips losslessly. */
  useViqProxy?: boolean;
  paywayMapping?: string;
  defaultDescriptor?: string;
  baseUrls: Record<string, string>;
  timeoutMs?: number;
  accounts: Record<string, A>;
}

/** Provider facts every adapter carries; they live with the adapters' toolkit (libs/providers/core). */
export { THREE_DS_MODES, defineConfigDescriptor } from '@payhub/providers-core';
export type { ProviderConfigDescriptor, ThreeDsRoutingMode } from '@payhub/providers-core';
