import { FailureCode } from '@payhub/domain';
import { outcomes, ProviderOutcome } from '@payhub/providers-core';
import { ApiResult } from './interkassa-api';
import { InterkassaSettings } from './interkassa-settings';

/** Outcomes every Interkassa flow builds. */

export function inconsistent(reason: string, raw: Record<string, unknown>, providerCode?: string, providerData?: Record<string, unknown>): ProviderOutcome {
  return outcomes.unknown(reason, raw, { providerCode, ...(providerData ? { providerData } : {}) });
}

/** Nothing reached Interkassa: unreachable (its failure) or not configured for the call (the account cannot do it). */
export function notSent(error: string, raw: Record<string, unknown>, unconfigured = false): ProviderOutcome {
  return unconfigured
    ? outcomes.notTaken(FailureCode.METHOD_UNAVAILABLE, error, raw)
    : outcomes.notTaken(FailureCode.PROVIDER_ERROR, 'Interkassa could not be reached; nothing was sent', raw, { providerMessage: error.slice(0, 500) });
}

/** Checked before any call: nothing reached Interkassa. */
export function refusedBeforeSending(reason: string, code: FailureCode = FailureCode.METHOD_UNAVAILABLE, notTaken = true): ProviderOutcome {
  return notTaken ? outcomes.notTaken(code, reason, { refused: reason }) : outcomes.failed({ code, reason }, { refused: reason });
}

export function refusedByProvider(reason: string, result: Extract<ApiResult, { kind: 'refused' }>, s: InterkassaSettings): ProviderOutcome {
  return outcomes.failed(
    { code: s.refusalCodeMap[result.code] ?? FailureCode.PROVIDER_ERROR, reason, providerCode: result.code, providerMessage: result.message },
    result.raw,
  );
}
