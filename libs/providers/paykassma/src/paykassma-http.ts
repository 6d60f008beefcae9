import { httpCall, HttpCallResult } from '@payhub/common';
import type { ResolvedAccount } from '@payhub/providers-core';

export interface PaykassmaExchange {
  result: HttpCallResult;
  /** What is kept on the transaction's events: the `?secret=` and screenshots never are. */
  raw: { request: Record<string, unknown>; response: unknown };
}

export interface PaykassmaRequest {
  method: 'GET' | 'POST';
  /** Path below `baseUrls.api`, e.g. `/api/v1/transaction/activate`. */
  path: string;
  /** Sent as the query string; arrays as `name[]=…`, the PHP form. */
  query?: Record<string, string | string[] | undefined>;
  json?: Record<string, unknown>;
  form?: Record<string, string | { bytes: Uint8Array; filename: string; contentType: string } | undefined>;
  /** `?secret=` of the plugin API; every call but `v2/withdrawal/create` carries it. */
  withSecret: boolean;
}

/** One call to Paykassma, with the account's timeout and the exchange kept redacted. */
export async function callPaykassma(account: ResolvedAccount, request: PaykassmaRequest): Promise<PaykassmaExchange> {
  const base = (account.baseUrls.api ?? '').replace(/\/+$/, '');
  const params = new URLSearchParams();
  if (request.withSecret) params.append('secret', String(account.settings.pluginApiSecret ?? ''));
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(`${key}[]`, v));
    else params.append(key, value);
  }
  const qs = params.toString();
  const url = `${base}${request.path}${qs ? `?${qs}` : ''}`;
  const redactedUrl = url.replace(/([?&]secret=)[^&]*/, '$1***');
  let result: HttpCallResult;
  let sentBody: unknown = undefined;
  if (request.form) {
    const form = new FormData();
    const shown: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(request.form)) {
      if (value === undefined) continue;
      if (typeof value === 'string') {
        form.append(key, value);
        shown[key] = value;
      } else {
        form.append(key, new Blob([value.bytes], { type: value.contentType }), value.filename);
        shown[key] = `<${value.contentType}, ${value.bytes.length} bytes>`;
      }
    }
    sentBody = shown;
    result = await httpCall({ method: request.method, url, headers: { accept: 'application/json' }, body: form, timeoutMs: account.timeoutMs });
  } else {
    const body = request.json ? JSON.stringify(request.json) : undefined;
    sentBody = request.json;
    result = await httpCall({
      method: request.method,
      url,
      headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body,
      timeoutMs: account.timeoutMs,
    });
  }
  const response = result.kind === 'response' ? { status: result.status, body: result.json ?? result.body.slice(0, 2000) } : { error: result.error, kind: result.kind };
  return { result, raw: { request: { method: request.method, url: redactedUrl, body: sentBody }, response } };
}
