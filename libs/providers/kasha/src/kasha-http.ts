import { httpCall, HttpCallResult } from '@payhub/common';
import type { ResolvedAccount } from '@payhub/providers-core';
import { KashaPaths, kashaPaths } from './kasha-account.schema';

/** One exchange with Kasha as it is kept on the transaction: card data and the API key never appear. */
export interface KashaExchange {
  step: string;
  method: 'GET' | 'POST';
  path: string;
  request?: unknown;
  status?: number;
  response?: unknown;
  error?: string;
  elapsedMs: number;
}

export type KashaAnswer =
  | { kind: 'response'; status: number; json: unknown; text: string }
  | { kind: 'not_sent' | 'timeout' | 'network_error'; error: string };

const CARD_NUMBER_KEYS = /^(cardnum|cardnumber|pan|number)$/i;
const SECRET_KEYS = /^(cardcvv|cvv|cvc|cvv2|cvc2|apikey|api_key|secret|password|token|storedtoken)$/i;

/** Deep copy with PANs masked to BIN + last 4 and CVVs, keys and tokens removed. */
export function redactKasha(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactKasha);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_KEYS.test(key)) out[key] = '[redacted]';
    else if (CARD_NUMBER_KEYS.test(key) && typeof child === 'string' && /\d{12,19}/.test(child.replace(/\D/g, ''))) out[key] = maskPan(child);
    else out[key] = redactKasha(child);
  }
  return out;
}

function maskPan(pan: string): string {
  const digits = pan.replace(/\D/g, '');
  return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

/**
 * Kasha calls for one account: base URL, paths and the API-key header all come from the account's
 * config, every call has the account's timeout, and every exchange is recorded redacted.
 */
export class KashaHttp {
  readonly exchanges: KashaExchange[] = [];
  readonly paths: KashaPaths;
  private readonly base: string;

  constructor(private readonly account: ResolvedAccount) {
    this.paths = kashaPaths(account.settings.paths as Partial<KashaPaths> | undefined);
    this.base = String(account.baseUrls.api ?? '').replace(/\/+$/, '');
  }

  postJson(step: string, path: string, body: unknown, rawJson?: string): Promise<KashaAnswer> {
    // The raw text is what was sent (amount spliced in), so it is also what is kept.
    return this.send(step, 'POST', path, rawJson ? JSON.parse(rawJson) : body, rawJson ?? JSON.stringify(body), 'application/json');
  }

  /** multipart/form-data with flat string fields, encoded by the platform's FormData (boundary included). */
  postMultipart(step: string, path: string, fields: Record<string, string>): Promise<KashaAnswer> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return this.send(step, 'POST', path, fields, form, undefined);
  }

  get(step: string, path: string): Promise<KashaAnswer> {
    return this.send(step, 'GET', path, undefined, undefined, undefined);
  }

  private async send(step: string, method: 'GET' | 'POST', path: string, logged: unknown, body: string | FormData | undefined, contentType: string | undefined): Promise<KashaAnswer> {
    const headers: Record<string, string> = { accept: 'application/json', [String(this.account.settings.apiKeyHeader ?? 'x-api-key')]: String(this.account.settings.apiKey ?? '') };
    if (contentType) headers['content-type'] = contentType;
    const result: HttpCallResult = await httpCall({ method, url: `${this.base}${path}`, headers, body, timeoutMs: this.account.timeoutMs });
    const exchange: KashaExchange = { step, method, path, request: logged === undefined ? undefined : redactKasha(logged), elapsedMs: result.elapsedMs };
    this.exchanges.push(exchange);
    if (result.kind !== 'response') {
      exchange.error = `${result.kind}: ${result.error}`;
      return { kind: result.kind, error: result.error };
    }
    exchange.status = result.status;
    exchange.response = result.json === undefined ? result.body.slice(0, 2000) : redactKasha(result.json);
    return { kind: 'response', status: result.status, json: result.json, text: result.body };
  }

  /** What goes into `ProviderOutcome.raw`. */
  raw(extra: Record<string, unknown> = {}): { request?: unknown; response?: unknown; exchanges: KashaExchange[]; [key: string]: unknown } {
    const last = this.exchanges.at(-1);
    return { request: last?.request, response: last?.response, exchanges: this.exchanges, ...extra };
  }
}
