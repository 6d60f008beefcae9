import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const CONSOLE_PATH = '/console';

/** The built console (`npm run build:console` writes it): dist/console under the project root, from source or from dist alike. */
export function consoleDir(): string {
  let dir = __dirname;
  while (dirname(dir) !== dir) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'payhub') return join(dir, 'dist', 'console');
    dir = dirname(dir);
  }
  return join(process.cwd(), 'dist', 'console');
}

/**
 * Serves the staff console at /console: its hashed assets for a year, everything else under /console
 * answers index.html (the single-page app routes on the client). Not built yet: a 503 that says how.
 */
export async function serveConsole(fastify: FastifyInstance, root = consoleDir()): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    const notBuilt = (_req: unknown, reply: FastifyReply) =>
      reply.code(503).type('text/plain').send('The console is not built: run npm run build:console (npm start and npm run build do).');
    fastify.get(CONSOLE_PATH, notBuilt);
    fastify.get(`${CONSOLE_PATH}/*`, notBuilt);
    return;
  }
  await fastify.register(fastifyStatic, {
    root,
    prefix: `${CONSOLE_PATH}/`,
    wildcard: false,
    index: false,
    setHeaders: (reply, path) => {
      void reply.header('cache-control', path.includes(`${join('assets', '')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const index = (_req: unknown, reply: FastifyReply) => {
    return reply.header('cache-control', 'no-cache').header('x-frame-options', 'DENY').sendFile('index.html');
  };
  fastify.get(CONSOLE_PATH, index);
  fastify.get(`${CONSOLE_PATH}/*`, index);
}
