import { ProviderAnswer, ProviderExchange, ProviderHttp, redact, revealed, Secret, type ResolvedAccount } from '@payhub/providers-core';
import { KashaPaths, kashaPaths } from './kasha-account.schema';

export type KashaExchange = ProviderExchange;
export type KashaAnswer = ProviderAnswer;

/** Kasha exchanges are redacted by the providers' one redactor. */
export const redactKasha = redact;

/**
 * Kasha calls for one account over the providers' one transport: base URL, paths and the API-key
 * header come from the account's config, every call has the account's timeout and is recorded redacted.
 */
export class KashaHttp {
  readonly paths: KashaPaths;
  private readonly http: ProviderHttp;
  private readonly apiKey: Secret;
  private readonly apiKeyHeader: string;

  constructor(account: ResolvedAccount) {
    this.paths = kashaPaths(account.settings.paths as Partial<KashaPaths> | undefined);
    this.http = new ProviderHttp('kasha', String(account.baseUrls.api ?? ''), account.timeoutMs);
    this.apiKey = new Secret(revealed(account.settings.apiKey) ?? '');
    this.apiKeyHeader = String(account.settings.apiKeyHeader ?? 'x-api-key');
  }

  get exchanges(): KashaExchange[] {
    return this.http.exchanges;
  }

  /** `rawJson` is the exact text to send (the amount spliced in as a decimal); it is also what is kept. */
  postJson(step: string, path: string, body: unknown, rawJson?: string): Promise<KashaAnswer> {
    return this.http.send(step, { method: 'POST', path, headers: this.auth(), ...(rawJson ? { rawJson } : { json: body }) });
  }

  /** multipart/form-data with flat string fields (FormData sets the boundary). */
  postMultipart(step: string, path: string, fields: Record<string, string>): Promise<KashaAnswer> {
    return this.http.send(step, { method: 'POST', path, headers: this.auth(), multipart: fields });
  }

  get(step: string, path: string): Promise<KashaAnswer> {
    return this.http.send(step, { method: 'GET', path, headers: this.auth() });
  }

  raw(extra: Record<string, unknown> = {}): ReturnType<ProviderHttp['raw']> {
    return this.http.raw(extra);
  }

  private auth(): Record<string, string> {
    return { [this.apiKeyHeader]: this.apiKey.reveal() };
  }
}
