import { httpCall, HttpCallResult } from '@payhub/common';
import { redact, redactUrl } from './redact';

/** One exchange with a provider as it is kept on the transaction: redacted, with its timing. */
export interface ProviderExchange {
  step: string;
  method: 'GET' | 'POST';
  url: string;
  request?: unknown;
  status?: number;
  response?: unknown;
  error?: string;
  elapsedMs: number;
}

export type ProviderAnswer =
  | { kind: 'response'; status: number; json: unknown; text: string; headers: Record<string, string> }
  | { kind: 'not_sent' | 'timeout' | 'network_error'; error: string };

/** A file part of a multipart body (e.g. a payment screenshot); kept as `<type, n bytes>`. */
export interface ProviderFile {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
}

export interface ProviderRequest {
  method: 'GET' | 'POST';
  /** Below the base URL, or absolute. */
  path: string;
  /** Query string; arrays become `name[]=…` (PHP's form). */
  query?: Record<string, string | string[] | undefined>;
  headers?: Record<string, string>;
  /** One body at most: JSON (`raw` to send exact text, e.g. a decimal spliced in), url-encoded form, or multipart. */
  json?: unknown;
  rawJson?: string;
  form?: Record<string, string>;
  multipart?: Record<string, string | ProviderFile | undefined>;
  /** What is kept instead of the body, when the body itself must not be (defaults to the redacted body). */
  logged?: unknown;
}

/** Observes every exchange (the metrics hook of the observability work lives here, in one place). */
export type ExchangeObserver = (provider: string, exchange: ProviderExchange) => void;
const observers: ExchangeObserver[] = [];
export function observeProviderExchanges(observer: ExchangeObserver): () => void {
  observers.push(observer);
  return () => observers.splice(observers.indexOf(observer), 1);
}

/**
 * The one transport of the provider adapters, over `httpCall`: the account's base URL and timeout,
 * JSON / form / multipart (through FormData) bodies, and every exchange recorded redacted for the
 * transaction's events. One instance per operation; adapters stay stateless.
 */
export class ProviderHttp {
  readonly exchanges: ProviderExchange[] = [];
  private readonly base: string;

  constructor(
    private readonly provider: string,
    baseUrl: string,
    private readonly timeoutMs: number,
  ) {
    this.base = String(baseUrl ?? '').replace(/\/+$/, '');
  }

  async send(step: string, request: ProviderRequest): Promise<ProviderAnswer> {
    const result = await this.call(request);
    const exchange: ProviderExchange = { step, method: request.method, url: redactUrl(this.url(request)), elapsedMs: result.elapsedMs };
    const shown = request.logged ?? shownBody(request);
    if (shown !== undefined) exchange.request = redact(shown);
    this.exchanges.push(exchange);
    if (result.kind !== 'response') exchange.error = `${result.kind}: ${result.error}`;
    else {
      exchange.status = result.status;
      exchange.response = result.json === undefined ? result.body.slice(0, 2000) : redact(result.json);
    }
    for (const observe of observers) observe(this.provider, exchange);
    if (result.kind !== 'response') return { kind: result.kind, error: result.error };
    return { kind: 'response', status: result.status, json: result.json, text: result.body, headers: result.headers };
  }

  /** What goes into `ProviderOutcome.raw`: the last exchange up front, all of them below. */
  raw(extra: Record<string, unknown> = {}): { request?: unknown; response?: unknown; exchanges: ProviderExchange[]; [key: string]: unknown } {
    const last = this.exchanges.at(-1);
    return { request: last?.request, response: last?.response, exchanges: this.exchanges, ...extra };
  }

  private url(request: ProviderRequest): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) value.forEach((v) => params.append(`${key}[]`, v));
      else params.append(key, value);
    }
    const qs = params.toString();
    const path = /^https?:\/\//.test(request.path) ? request.path : `${this.base}${request.path}`;
    return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
  }

  private call(request: ProviderRequest): Promise<HttpCallResult> {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body: string | FormData | undefined;
    if (request.rawJson !== undefined || request.json !== undefined) {
      body = request.rawJson ?? JSON.stringify(request.json);
      headers['content-type'] ??= 'application/json';
    } else if (request.form) {
      body = new URLSearchParams(request.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (request.multipart) {
      const form = new FormData();
      for (const [key, value] of Object.entries(request.multipart)) {
        if (value === undefined) continue;
        if (typeof value === 'string') form.append(key, value);
        else form.append(key, new Blob([value.bytes as Uint8Array<ArrayBuffer>], { type: value.contentType }), value.filename);
      }
      body = form;
    }
    return httpCall({ method: request.method, url: this.url(request), headers, body, timeoutMs: this.timeoutMs });
  }
}

function shownBody(request: ProviderRequest): unknown {
  if (request.rawJson !== undefined) return JSON.parse(request.rawJson);
  if (request.json !== undefined) return request.json;
  if (request.form) return request.form;
  if (request.multipart) {
    return Object.fromEntries(
      Object.entries(request.multipart)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, typeof v === 'string' ? v : `<${v!.contentType}, ${v!.bytes.length} bytes>`]),
    );
  }
  return undefined;
}
