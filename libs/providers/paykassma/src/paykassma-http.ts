import { ProviderFile, ProviderHttp, revealed, type ResolvedAccount } from '@payhub/providers-core';

/** An answer as the adapter reads it (`body`: the text). */
export type PaykassmaResult =
  { kind: 'response'; status: number; json: unknown; body: string } | { kind: 'not_sent' | 'timeout' | 'network_error'; error: string };

export interface PaykassmaExchange {
  result: PaykassmaResult;
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
  form?: Record<string, string | ProviderFile | undefined>;
  /** `?secret=` of the plugin API; every call but `v2/withdrawal/create` carries it. */
  withSecret: boolean;
}

/** One call to Paykassma over the providers' one transport, with the account's timeout, kept redacted. */
export async function callPaykassma(account: ResolvedAccount, request: PaykassmaRequest): Promise<PaykassmaExchange> {
  const http = new ProviderHttp('paykassma', String(account.baseUrls.api ?? ''), account.timeoutMs);
  const query = { ...(request.withSecret ? { secret: revealed(account.settings.pluginApiSecret) ?? '' } : {}), ...request.query };
  const answer = await http.send(request.path, {
    method: request.method,
    path: request.path,
    query,
    ...(request.form ? { multipart: request.form } : request.json ? { json: request.json } : {}),
  });
  const exchange = http.exchanges[0];
  const result: PaykassmaResult = answer.kind === 'response' ? { kind: 'response', status: answer.status, json: answer.json, body: answer.text } : answer;
  const response = answer.kind === 'response' ? { status: answer.status, body: exchange.response } : { error: answer.error, kind: answer.kind };
  return { result, raw: { request: { method: request.method, url: exchange.url, body: exchange.request }, response } };
}
