import { Failure, FailureCode, TxStatus } from '@payhub/domain';

export interface MappedStatus {
  status: TxStatus;
  failure?: Failure;
}

/**
 * A provider's documented statuses onto payhub's, as a record over the literal union of the documented
 * values: leaving one out fails to compile. A value outside the union (undocumented, new) is never
 * guessed: it maps to INCONSISTENT with the value kept as `providerCode`.
 */
export type StatusTable<S extends string> = { readonly [K in S]: MappedStatus };

/**
 * The same, for a provider whose statuses read differently with the payment's own facts (its session,
 * what payhub already asked): each documented value has an entry, a fixed mapping or a rule over `C`.
 */
export type StatusRules<S extends string, C> = { readonly [K in S]: MappedStatus | ((ctx: C) => MappedStatus) };

export function statusTable<S extends string>(table: StatusTable<S>): StatusTable<S> {
  return table;
}

export function statusRules<S extends string, C>(table: StatusRules<S, C>): StatusRules<S, C> {
  return table;
}

export function mapStatus<S extends string>(table: StatusTable<S>, value: string | null | undefined, what: string, provider: string): MappedStatus {
  if (value !== null && value !== undefined && Object.hasOwn(table, value)) return table[value as S];
  return unmapped(value, what, provider);
}

export function mapStatusWith<S extends string, C>(
  table: StatusRules<S, C>,
  value: string | null | undefined,
  ctx: C,
  what: string,
  provider: string,
): MappedStatus {
  if (value === null || value === undefined || !Object.hasOwn(table, value)) return unmapped(value, what, provider);
  const entry = table[value as S];
  return typeof entry === 'function' ? entry(ctx) : entry;
}

function unmapped(value: string | null | undefined, what: string, provider: string): MappedStatus {
  const shown = value ?? '(none)';
  return {
    status: TxStatus.INCONSISTENT,
    failure: {
      code: FailureCode.PROVIDER_ERROR,
      reason: `${provider} reported an unknown ${what} "${shown}"; never guessed: a later status check or staff settle it`,
      providerCode: shown,
    },
  };
}
