import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';

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
 * Serves the staff console at /console: a file of the build when one exists at that path (hashed
 * assets cached for a year), index.html for every other path under /console (the single-page app
 * routes on the client). Files are looked up per request, so a rebuild is served without a restart
 * and nothing is read at boot; not built yet: 503 saying how.
 */
export async function serveConsole(fastify: FastifyInstance, root = consoleDir()): Promise<void> {
  await fastify.register(fastifyStatic, { root, serve: false, index: false });
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!existsSync(join(root, 'index.html'))) {
      return reply.code(503).type('text/plain').send('The console is not built: run npm run build:console (npm start and npm run build do).');
    }
    let relative = '';
    try {
      relative = normalize(decodeURIComponent(request.url.split('?')[0].slice(CONSOLE_PATH.length)).replace(/^\/+/, ''));
    } catch {
      // a malformed escape is no file of the build: the app answers it
    }
    const file = join(root, relative);
    if (relative && relative !== '.' && !relative.startsWith('..') && file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) {
      const immutable = relative.startsWith(`assets${sep}`);
      return reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(relative, { cacheControl: false });
    }
    return reply.header('cache-control', 'no-cache').header('x-frame-options', 'DENY').type('text/html').sendFile('index.html', { cacheControl: false });
  };
  fastify.get(CONSOLE_PATH, handler);
  fastify.get(`${CONSOLE_PATH}/*`, handler);
}
