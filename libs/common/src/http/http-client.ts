/** Outcome of an outbound call, classified the way payment state needs it. */
export type HttpCallResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string; json: unknown; elapsedMs: number }
  /** Nothing reached the provider: safe to say it did not take the payment. */
  | { kind: 'not_sent'; error: string; elapsedMs: number }
  /** Sent (or maybe sent) with no answer: the outcome is unknown. */
  | { kind: 'timeout' | 'network_error'; error: string; elapsedMs: number };

export interface HttpCallOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** A string as given, or multipart form data (fetch sets its content type and boundary). */
  body?: string | FormData;
  timeoutMs: number;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL', 'UND_ERR_INVALID_ARG']);

/** Every outbound call goes through here: one timeout, one classification of failures. */
export async function httpCall(options: HttpCallOptions): Promise<HttpCallResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(options.url, {
      method: options.method,
      headers: options.headers,
      body: options.body,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'manual',
    });
    const body = await response.text();
    let json: unknown = undefined;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    return { kind: 'response', status: response.status, headers: Object.fromEntries(response.headers.entries()), body, json, elapsedMs: elapsed() };
  } catch (error) {
    const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return { kind: 'timeout', error: `no answer within ${options.timeoutMs} ms`, elapsedMs: elapsed() };
    const code = err.cause?.code ?? '';
    if (NOT_SENT_CODES.has(code)) return { kind: 'not_sent', error: `${code}: ${err.cause?.message ?? err.message}`, elapsedMs: elapsed() };
    return { kind: 'network_error', error: `${code || err.name}: ${err.cause?.message ?? err.message}`, elapsedMs: elapsed() };
  }
}
