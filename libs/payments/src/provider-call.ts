import { FailureCode, TxStatus } from '@payhub/transactions';
import type { ProviderOutcome } from '@payhub/providers-core';

/**
 * Runs an adapter call. An adapter that throws (bug, unreadable answer) leaves the outcome unknown:
 * INCONSISTENT, to be settled by a status check, never FAILED.
 */
export async function callProvider(call: () => Promise<ProviderOutcome>): Promise<ProviderOutcome> {
  try {
    return await call();
  } catch (error) {
    return {
      status: TxStatus.INCONSISTENT,
      failure: {
        code: FailureCode.PROVIDER_ERROR,
        reason: 'The provider call failed; the outcome is checked with the provider',
        providerMessage: (error as Error).message?.slice(0, 500) ?? null,
      },
      raw: { error: (error as Error).message },
    };
  }
}
