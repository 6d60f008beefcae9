import { outcomes, type ProviderOutcome } from '@payhub/providers-core';
import { FailureCode, TxStatus } from '@payhub/domain';
import { KASHA_NOT_TAKEN_CODES, kashaErrorCode, kashaFailure, normaliseKashaCode } from './kasha-error-codes';
import type { KashaAnswer, KashaHttp } from './kasha-http';

type Json = Record<string, unknown>;

/** Kasha's `statusCode` values that are not errors. */
export const KASHA_SUCCESS = '0';
export const KASHA_REDIRECT = '300';
export const KASHA_OPTION_CHOICE = '85';

export function asObject(value: unknown): Json | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

/** Some answers come wrapped in a one-element array (payout-options, payout-suboptions). */
export function unwrap(value: unknown): Json | null {
  return asObject(Array.isArray(value) ? value[0] : value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

export function codeOf(json: Json): string | null {
  const result = asObject(json.result);
  const errors = asObject(json.errors);
  return normaliseKashaCode(json.statusCode ?? json.errorCode ?? json.code ?? result?.errorCode ?? result?.statusCode ?? errors?.code);
}

export function messageOf(json: Json): string | null {
  const result = asObject(json.result);
  const errors = asObject(json.errors);
  const text =
    str(json.errorReason) ??
    str(result?.errorReason) ??
    str(errors?.msg) ??
    str(json.message) ??
    str(result?.message) ??
    (typeof json.result === 'string' ? json.result : undefined);
  return text ? text.slice(0, 500) : null;
}

/**
 * The customer link in a redirect answer. Kasha's samples show no field name for it (NOTES §3.2),
 * so the usual names are read in this order; docs/providers/kasha.md lists them.
 */
export function linkOf(json: Json): string | undefined {
  const result = asObject(json.result);
  for (const holder of [result, json]) {
    if (!holder) continue;
    for (const key of ['redirectUrl', 'url', 'link', 'paymentUrl', 'cashierUrl', 'redirect_url', 'threeDsUrl']) {
      const value = str(holder[key]);
      if (value && /^https?:\/\//.test(value)) return value;
    }
  }
  return undefined;
}

export function transactionIdOf(json: Json): string | undefined {
  const result = asObject(json.result);
  return str(result?.transactionId) ?? str(json.transactionId) ?? str(json.id) ?? str(json._id);
}

export type Interpreted = { ok: true; json: Json; code: string | null } | { ok: false; outcome: ProviderOutcome };

/**
 * One answer of a call that can move money. Nothing sent: certainly not taken. No answer or a 5xx:
 * unknown, never guessed. A code from Kasha's table: what the table says. Anything else readable
 * in a 2xx goes back to the caller.
 */
export function interpret(answer: KashaAnswer, http: KashaHttp, providerData?: Record<string, unknown>): Interpreted {
  const base = { raw: http.raw(), providerData: providerData ?? null };
  if (answer.kind === 'not_sent') {
    return {
      ok: false,
      outcome: {
        ...base,
        status: TxStatus.FAILED,
        notTaken: true,
        failure: { code: FailureCode.PROVIDER_ERROR, reason: 'Kasha could not be reached; nothing was sent', providerMessage: answer.error.slice(0, 500) },
      },
    };
  }
  if (answer.kind !== 'response') return { ok: false, outcome: unknown(base, `no answer from Kasha (${answer.kind})`, answer.error) };
  if (answer.status >= 500) return { ok: false, outcome: unknown(base, `Kasha answered HTTP ${answer.status}`, answer.text.slice(0, 500)) };
  if (answer.status === 401 || answer.status === 403) {
    return {
      ok: false,
      outcome: {
        ...base,
        status: TxStatus.FAILED,
        notTaken: true,
        failure: {
          code: FailureCode.PROVIDER_ERROR,
          reason: "Kasha refused the account's API key",
          providerCode: String(answer.status),
          providerMessage: answer.text.slice(0, 500),
        },
      },
    };
  }
  const json = unwrap(answer.json);
  const code = json ? codeOf(json) : null;
  const known = kashaErrorCode(code);
  if (json && known) {
    const failure = kashaFailure(code, messageOf(json));
    const providerTxId = transactionIdOf(json) ?? null;
    if (known.status === 'ERROR') return { ok: false, outcome: { ...base, status: TxStatus.INCONSISTENT, providerTxId, failure } };
    return { ok: false, outcome: { ...base, status: TxStatus.FAILED, providerTxId, failure, notTaken: KASHA_NOT_TAKEN_CODES.has(code!) } };
  }
  if (answer.status >= 400) {
    return {
      ok: false,
      outcome: {
        ...base,
        status: TxStatus.FAILED,
        failure: { ...kashaFailure(code, json ? messageOf(json) : answer.text.slice(0, 500)), providerCode: code ?? String(answer.status) },
      },
    };
  }
  if (!json) return { ok: false, outcome: unknown(base, "Kasha's answer could not be read", answer.text.slice(0, 500)) };
  return { ok: true, json, code };
}

export function unknown(base: Pick<ProviderOutcome, 'raw'> & Partial<ProviderOutcome>, reason: string, providerMessage?: string | null): ProviderOutcome {
  const { raw, ...rest } = base;
  return outcomes.unknown(`${reason}; the outcome is checked with Kasha`, raw, { ...rest, providerMessage: providerMessage?.slice(0, 500) ?? null });
}
