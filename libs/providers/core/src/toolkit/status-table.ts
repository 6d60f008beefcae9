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

export function statusTable<S extends string>(table: StatusTable<S>): StatusTable<S> {
  return table;
}

export function mapStatus<S extends string>(table: StatusTable<S>, value: string | null | undefined, what: string, provider: string): MappedStatus {
  if (value !== null && value !== undefined && Object.hasOwn(table, value)) return table[value as S];
  const shown = value ?? '(none)';
  return {
    status: TxStatus.INCONSISTENT,
    failure: {
      code: FailureCode.PROVIDER_ERROR,
      reason: `${provider} reported an unknown ${what} "${shown}"; the status is checked instead`,
      providerCode: shown,
    },
  };
}
