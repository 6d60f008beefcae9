import { ProviderHttp, Secret, type ResolvedAccount } from '@payhub/providers-core';
import { INTERKASSA } from './interkassa.constants';
import type { InterkassaSettings } from './interkassa-settings';

/** One answer of the REST API v1: ok with its data, refused with Interkassa's code, unknown, or never sent. */
export type ApiResult =
  | { kind: 'ok'; data: Record<string, unknown>; raw: Record<string, unknown> }
  | { kind: 'refused'; code: string; message: string; raw: Record<string, unknown> }
  | { kind: 'unknown'; reason: string; raw: Record<string, unknown> }
  | { kind: 'not_sent'; reason: string; raw: Record<string, unknown>; unconfigured?: true };

/** One REST API v1 call: Basic customerId:apiKey, Ik-Api-Account-Id, form-encoded body, `{status, code, data, message}` answer. */
export async function interkassaApi(
  account: ResolvedAccount,
  s: InterkassaSettings,
  method: 'GET' | 'POST',
  path: string,
  form?: Record<string, string>,
): Promise<ApiResult> {
  if (!s.customerId || !s.apiKey)
    return { kind: 'not_sent', reason: 'The account has no customerId/apiKey for the Interkassa API', raw: { request: { method, path } }, unconfigured: true };
  const apiKey = new Secret(s.apiKey);
  const headers: Record<string, string> = { authorization: `Basic ${Buffer.from(`${s.customerId}:${apiKey.reveal()}`).toString('base64')}` };
  if (s.accountID) headers['ik-api-account-id'] = s.accountID;
  const http = new ProviderHttp(INTERKASSA, account.baseUrls.api, account.timeoutMs);
  const res = await http.send(path, { method, path, headers, ...(form ? { form } : {}) });
  if (res.kind === 'not_sent') return { kind: 'not_sent', reason: res.error, raw: http.raw({ error: res.error }) };
  if (res.kind !== 'response') return { kind: 'unknown', reason: `No answer from Interkassa: ${res.error}`, raw: http.raw({ error: res.error }) };
  const raw = http.raw();
  if (res.status >= 500) return { kind: 'unknown', reason: `Interkassa answered HTTP ${res.status}`, raw };
  const envelope = res.json as { status?: unknown; code?: unknown; data?: unknown; message?: unknown } | undefined;
  if (!envelope || typeof envelope !== 'object' || envelope.code === undefined)
    return { kind: 'unknown', reason: `Interkassa answered HTTP ${res.status} with an unreadable body`, raw };
  const data = (envelope.data && typeof envelope.data === 'object' ? envelope.data : {}) as Record<string, unknown>;
  if (String(envelope.code) === '0' && envelope.status === 'ok') return { kind: 'ok', data, raw };
  return { kind: 'refused', code: String(envelope.code), message: stringOrNull(data['@resultMessage']) ?? stringOrNull(envelope.message) ?? 'error', raw };
}

export async function findByPaymentNo(account: ResolvedAccount, s: InterkassaSettings, pathWithQuery: string, txId: string): Promise<ApiResult> {
  const result = await interkassaApi(account, s, 'GET', pathWithQuery);
  if (result.kind !== 'ok') return result;
  // The list may ignore the filter; only an item carrying our payment number counts.
  const item = Object.values(result.data).find((v) => typeof v === 'object' && v !== null && (v as Record<string, unknown>).paymentNo === txId);
  if (!item) return { kind: 'unknown', reason: `Interkassa lists no payment with paymentNo ${txId}`, raw: result.raw };
  return { kind: 'ok', data: item as Record<string, unknown>, raw: result.raw };
}

export function stringOrNull(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

export function describe(result: ApiResult): string {
  return result.kind === 'refused' ? `code ${result.code}: ${result.message}` : result.kind === 'ok' ? 'ok' : result.reason;
}
