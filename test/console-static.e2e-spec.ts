import Fastify from 'fastify';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveConsole } from '../apps/api/src/console-static';

/** /console: the build's files, index.html for every other path below it (SPA routes), nothing outside the build. */
describe('console static files', () => {
  const root = mkdtempSync(join(tmpdir(), 'payhub-console-'));
  const app = Fastify();

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    await serveConsole(app, root);
    await app.ready();
  });
  afterAll(() => app.close());

  it('serves index.html at /console and for client routes, hashed assets for a year', async () => {
    for (const url of ['/console', '/console/', '/console/transactions/tx_123', '/console/audit-log?x=1']) {
      const res = await app.inject({ url });
      expect([url, res.statusCode, res.headers['content-type']]).toEqual([url, 200, expect.stringContaining('text/html')]);
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    const asset = await app.inject({ url: '/console/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('never serves a file outside the build', async () => {
    writeFileSync(join(root, '..', 'payhub-console-secret.txt'), 'not for the browser');
    for (const url of [
      '/console/../payhub-console-secret.txt',
      '/console/%2e%2e/payhub-console-secret.txt',
      '/console/assets/%2e%2e%2f%2e%2e%2fpayhub-console-secret.txt',
      '/console/assets/%E0%A4%A',
    ]) {
      const res = await app.inject({ url });
      expect([url, res.body]).not.toEqual([url, expect.stringContaining('not for the browser')]);
    }
  });

  it('answers 503 with how to build it when the console is not built', async () => {
    const bare = Fastify();
    await serveConsole(bare, join(root, 'missing'));
    const res = await bare.inject({ url: '/console/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:console');
    await bare.close();
  });
});
