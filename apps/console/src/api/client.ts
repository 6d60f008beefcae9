import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The console's only way to the server: payhub's back-office REST routes, typed by the generated
 * OpenAPI paths (a route that disappears from the document fails the console's typecheck). The
 * session token lives in this module's memory only: never localStorage, never a cookie; a reload
 * signs out.
 */
let token: string | null = null;
const sessionEndListeners = new Set<() => void>();

export function setToken(value: string | null): void {
  token = value;
}

export function hasToken(): boolean {
  return token !== null;
}

/** Called when the server no longer accepts the token (idle, too old, revoked, password or role changed). */
export function onSessionEnded(listener: () => void): () => void {
  sessionEndListeners.add(listener);
  return () => sessionEndListeners.delete(listener);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Array<{ field?: string; issue?: string }> = [],
  ) {
    super(message);
  }
}

const auth: Middleware = {
  onRequest({ request }) {
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && token && !request.url.endsWith('/backoffice/auth/login')) {
      token = null;
      for (const listener of sessionEndListeners) listener();
    }
    return response;
  },
};

const client = createClient<paths>({ baseUrl: window.location.origin });
client.use(auth);

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type PathWith<M extends Method> = { [P in keyof paths]: paths[P] extends Record<M, object> ? P : never }[keyof paths];
type Query = Record<string, string | number | undefined>;

/**
 * Errors in one place: payhub answers `{ error: { code, message, details } }`; a flatter `{ code, message }`
 * (the error shape after the OpenAPI issue) reads the same.
 */
function toApiError(status: number, body: unknown): ApiError {
  const b = (body ?? {}) as Record<string, any>;
  const e = (b.error && typeof b.error === 'object' ? b.error : b) as Record<string, any>;
  const details = Array.isArray(e.details) ? e.details : Array.isArray(e.details?.fields) ? e.details.fields : [];
  return new ApiError(status, String(e.code ?? `HTTP_${status}`), String(e.message ?? `The server answered ${status}`), details);
}

function clean(query?: Query): Record<string, string> | undefined {
  if (!query) return undefined;
  return Object.fromEntries(
    Object.entries(query)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => [k, String(v)]),
  );
}

async function send<T>(method: Uppercase<Method>, path: string, init: { path?: Record<string, string>; query?: Query; body?: unknown }): Promise<T> {
  const fn = (client as unknown as Record<string, (p: string, o: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>>)[method];
  const { data, error, response } = await fn(path, { params: { path: init.path, query: clean(init.query) }, body: init.body });
  if (!response.ok) throw toApiError(response.status, error);
  return data as T;
}

export const api = {
  get: <T>(path: PathWith<'get'>, init: { path?: Record<string, string>; query?: Query } = {}) => send<T>('GET', path, init),
  post: <T>(path: PathWith<'post'>, init: { path?: Record<string, string>; body?: unknown } = {}) => send<T>('POST', path, { ...init, body: init.body ?? {} }),
  put: <T>(path: PathWith<'put'>, init: { path?: Record<string, string>; body?: unknown } = {}) => send<T>('PUT', path, { ...init, body: init.body ?? {} }),
  patch: <T>(path: PathWith<'patch'>, init: { path?: Record<string, string>; body?: unknown } = {}) =>
    send<T>('PATCH', path, { ...init, body: init.body ?? {} }),
  /**
   * PUT with the HTTP status answered too: a maker-checker route answers 200 (applied) or 202 (a pending
   * change) with different bodies. A JSON body, or a document sent as it is (`contentType`, e.g. PaymentIQ XML).
   */
  async putWithStatus<T>(
    path: PathWith<'put'>,
    init: { path?: Record<string, string>; body?: unknown; contentType?: string },
  ): Promise<{ status: number; body: T }> {
    const fn = (client as unknown as Record<string, (p: string, o: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>>).PUT;
    const raw = init.contentType ? { headers: { 'content-type': init.contentType }, bodySerializer: (b: unknown) => String(b) } : {};
    const { data, error, response } = await fn(path, { params: { path: init.path }, body: init.body, ...raw });
    if (!response.ok) throw toApiError(response.status, error);
    return { status: response.status, body: data as T };
  },
  delete: <T>(path: PathWith<'delete'>, init: { path?: Record<string, string> } = {}) => send<T>('DELETE', path, init),
  /** A CSV (or other file) route, fetched with the token and handed to the browser as a download. */
  async download(path: PathWith<'get'>, query: Query, filename: string): Promise<void> {
    const url = new URL(path, window.location.origin);
    for (const [k, v] of Object.entries(clean(query) ?? {})) url.searchParams.set(k, v);
    const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!response.ok) throw toApiError(response.status, await response.json().catch(() => null));
    const blob = await response.blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = filename;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  },
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Every list route read through this one adapter: today `{ data, hasMore, nextCursor }`; tolerant of
 * `{ data, nextCursor }`, `{ items, … }` and a bare array, so a change of the list shape is mended here.
 */
export function toPage<T extends { id?: string }>(body: unknown): Page<T> {
  const b = body as Record<string, any> | unknown[] | null;
  const items = (Array.isArray(b) ? b : Array.isArray(b?.data) ? b.data : Array.isArray(b?.items) ? b.items : []) as T[];
  if (Array.isArray(b) || !b) return { items, nextCursor: null };
  const next = b.nextCursor ?? b.next_cursor ?? (b.hasMore && items.length ? items[items.length - 1].id : null);
  return { items, nextCursor: typeof next === 'string' ? next : null };
}

export async function getPage<T extends { id?: string }>(path: PathWith<'get'>, query: Query = {}): Promise<Page<T>> {
  return toPage<T>(await api.get<unknown>(path, { query }));
}
