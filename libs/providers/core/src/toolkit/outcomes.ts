import { Failure, FailureCode, TxStatus } from '@payhub/domain';
import type { ProviderOutcome } from '../provider.types';

type Raw = ProviderOutcome['raw'];
type Extra = Partial<Omit<ProviderOutcome, 'status' | 'failure' | 'raw'>>;

/**
 * The outcomes every adapter builds, written once. The rules they encode: an unknown outcome is
 * INCONSISTENT (never FAILED); "not taken" only when the provider certainly did not take the payment.
 */
export const outcomes = {
  /** Sent (or maybe sent) and the answer does not tell: a status check or staff settle it. */
  unknown(reason: string, raw: Raw, extra: Extra & { providerCode?: string | null; providerMessage?: string | null } = {}): ProviderOutcome {
    const { providerCode, providerMessage, ...rest } = extra;
    return {
      ...rest,
      status: TxStatus.INCONSISTENT,
      failure: { code: FailureCode.PROVIDER_ERROR, reason, providerCode: providerCode ?? null, providerMessage: providerMessage ?? null },
      raw,
    };
  },
  /** Nothing reached the provider, or it certainly refused before taking anything: routing may fall back. */
  notTaken(code: FailureCode, reason: string, raw: Raw, extra: Extra & { providerMessage?: string | null } = {}): ProviderOutcome {
    const { providerMessage, ...rest } = extra;
    return { ...rest, status: TxStatus.FAILED, notTaken: true, failure: { code, reason, providerMessage: providerMessage ?? null }, raw };
  },
  /** The provider said no (or payhub refused before sending, for a reason that is the request's). */
  failed(failure: Failure, raw: Raw, extra: Extra = {}): ProviderOutcome {
    return { ...extra, status: TxStatus.FAILED, failure, raw };
  },
};
