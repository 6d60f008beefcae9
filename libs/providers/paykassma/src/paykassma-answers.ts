import type { ErrorDetail } from '@payhub/common';
import { FailureCode } from '@payhub/domain';
import { outcomes, type ProviderOutcome } from '@payhub/providers-core';
import type { PaykassmaExchange } from './paykassma-http';

type Json = Record<string, unknown>;

export type Answer =
  { kind: 'ok'; json: Json } | { kind: 'fail'; message: string; outcome: ProviderOutcome } | { kind: 'unknown' | 'not_taken'; outcome: ProviderOutcome };

/**
 * Reads an answer: "ok"/"success" envelopes succeed; a readable "fail" is a refusal; a timeout, a 5xx
 * or an unreadable body is unknown (INCONSISTENT) unless the call creates nothing at Paykassma; a
 * refused connection or a 404 (unknown path or wrong secret) certainly took nothing.
 */
export function readAnswer(exchange: PaykassmaExchange, opts: { nothingCreated: boolean }): Answer {
  const { result } = exchange;
  if (result.kind === 'not_sent' || (result.kind === 'response' && result.status === 404)) {
    const reason = result.kind === 'not_sent' ? `Paykassma could not be reached (${result.error})` : 'Paykassma answered 404 (unknown path or wrong secret)';
    // Unreachable or refusing the secret is the provider's (or its configuration's) failure, not the method's.
    return { kind: 'not_taken', outcome: failed(FailureCode.PROVIDER_ERROR, reason, exchange.raw, { notTaken: true }) };
  }
  if (result.kind !== 'response' || result.status >= 500 || result.json === undefined || typeof result.json !== 'object' || result.json === null) {
    if (opts.nothingCreated)
      return { kind: 'not_taken', outcome: failed(FailureCode.PROVIDER_ERROR, 'Paykassma did not answer a read-only call', exchange.raw, { notTaken: true }) };
    return { kind: 'unknown', outcome: unknownOutcome(exchange) };
  }
  const json = result.json as Json;
  if (result.status < 300 && (json.status === 'ok' || json.status === 'success')) return { kind: 'ok', json };
  const message = messageOf(json) ?? `HTTP ${result.status}`;
  return { kind: 'fail', message, outcome: failed(FailureCode.INVALID_REQUEST, 'Paykassma refused the request', exchange.raw, { providerMessage: message }) };
}

export function unknownOutcome(exchange: PaykassmaExchange): ProviderOutcome {
  const { result } = exchange;
  const what = result.kind === 'response' ? `HTTP ${result.status}` : result.error;
  return outcomes.unknown('The Paykassma outcome is unknown; it is checked with the provider', exchange.raw, { providerMessage: what });
}

/** Paykassma's `message` is a string or a field → messages map. */
export function messageOf(json: Json): string | null {
  const m = json.message ?? json.error_message;
  if (typeof m === 'string') return m || null;
  if (m && typeof m === 'object')
    return Object.entries(m as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : String(v)}`)
      .join('; ');
  return null;
}

export function failed(code: FailureCode, reason: string, raw: unknown, extra: { notTaken?: boolean; providerMessage?: string | null } = {}): ProviderOutcome {
  const kept = raw as ProviderOutcome['raw'];
  return extra.notTaken
    ? outcomes.notTaken(code, reason, kept, { providerMessage: extra.providerMessage })
    : outcomes.failed({ code, reason, providerMessage: extra.providerMessage ?? null }, kept);
}

export function invalid(issues: ErrorDetail[]): ProviderOutcome {
  return failed(FailureCode.INVALID_REQUEST, `Not sent to Paykassma: ${issues.map((i) => `${i.field} ${i.issue}`).join('; ')}`.slice(0, 500), {
    validation: issues,
  });
}
