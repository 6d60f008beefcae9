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

export const THREE_DS_MODES = ['off', 'only_3ds', 'required_3ds_v1', 'required_3ds_v2'] as const;
export type ThreeDsRoutingMode = (typeof THREE_DS_MODES)[number];

export interface ProviderConfigDescriptor<A extends object = object> {
  provider: string;
  /** class-validator schema of one account; every property must carry a decorator (XML import reads its design types). */
  accountClass: new () => A;
  /** Top-level account fields sealed at rest and masked in every response. */
  secretFields: readonly string[];
  /** PaymentIQ config class name, the root element of the XML form. */
  xmlRootElement: string;
  /** Names allowed in `baseUrls`; each must be set, by the config or by `defaults.baseUrls`. */
  baseUrlNames: readonly string[];
  defaults: {
    /** Filled into each account where the field is absent. */
    account: Partial<A>;
    baseUrls: Readonly<Record<string, string>>;
  };
}

/** Type-checks the secret field names against the account class. */
export function defineConfigDescriptor<A extends object>(
  descriptor: ProviderConfigDescriptor<A> & { secretFields: readonly (keyof A & string)[] },
): ProviderConfigDescriptor<A> {
  return descriptor;
}
