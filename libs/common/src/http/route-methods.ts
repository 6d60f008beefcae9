import type { FastifyInstance, FastifyRequest } from 'fastify';

const ROUTE_TABLE = Symbol('payhub.routeTable');

/** Every route's path pattern and methods, so a wrong method on a known path answers 405, not 404. */
export class RouteTable {
  private readonly routes: Array<{ pattern: RegExp; method: string }> = [];

  add(method: string | string[], url: string): void {
    const source = url
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    for (const m of Array.isArray(method) ? method : [method]) this.routes.push({ pattern: new RegExp(`^${source}/?$`), method: m.toUpperCase() });
  }

  /** The methods a path answers to; empty when no route has this path. */
  methodsFor(path: string): string[] {
    return [...new Set(this.routes.filter((r) => r.pattern.test(path)).map((r) => r.method))].sort();
  }
}

/** Call before the app registers its routes (before `init`/`listen`). */
export function installRouteTable(fastify: FastifyInstance): RouteTable {
  const table = new RouteTable();
  fastify.addHook('onRoute', (route) => table.add(route.method, route.url));
  (fastify as unknown as Record<symbol, RouteTable>)[ROUTE_TABLE] = table;
  return table;
}

/** The methods the request's path answers to, when the request came in through an app with a route table. */
export function allowedMethodsOf(request: FastifyRequest): string[] {
  const table = (request.server as unknown as Record<symbol, RouteTable | undefined> | undefined)?.[ROUTE_TABLE];
  return table ? table.methodsFor(request.url.split('?')[0]) : [];
}
