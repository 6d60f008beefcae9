/**
 * What a provider's config looks like: its account schema, secrets, XML form and base URLs. Each
 * adapter carries its own (`PaymentProvider.configDescriptor`); the registry serves them to
 * provider-config, so nothing registers itself when a module is imported.
 */
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
