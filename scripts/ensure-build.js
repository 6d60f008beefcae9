'use strict';
// Builds dist/ only when a source changed since the last build: `npm run cli` and `npm start` then
// start at once on a current build instead of running tsc every time. Plain CommonJS, no dependencies.
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const SOURCES = ['apps', 'libs', 'migrations', 'scripts'];
const FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
/** A digest of every source's path, size and mtime at the last successful build. */
const stamp = join(root, 'dist', '.payhub-build-sha256');

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (/\.(ts|tsx|js|mjs|json|css|html)$/.test(entry.name)) yield path;
  }
}

function sourceDigest() {
  const hash = createHash('sha256');
  const paths = [
    ...SOURCES.flatMap((dir) => (existsSync(join(root, dir)) ? [...walk(join(root, dir))] : [])),
    ...FILES.map((f) => join(root, f)).filter(existsSync),
  ].sort();
  for (const path of paths) {
    const { size, mtimeMs } = statSync(path);
    hash.update(`${relative(root, path)}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

// An image or package that ships dist/ without the sources (the Docker image) is built already.
if (!existsSync(join(root, 'apps')) && existsSync(join(root, 'dist', 'scripts', 'cli.js'))) process.exit(0);

const digest = sourceDigest();
const built = existsSync(join(root, 'dist', 'scripts', 'cli.js')) && existsSync(join(root, 'dist', 'console', 'index.html'));
const current = built && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === digest;
if (!current) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`payhub: the build failed (tsc exit ${result.status ?? result.signal}); fix the errors above`);
    process.exit(result.status || 1);
  }
  // The staff console (apps/console), served by the api at /console: `npm start` prints its URL.
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const console_ = spawnSync(process.execPath, [vite, 'build', '--config', 'apps/console/vite.config.mjs'], { cwd: root, stdio: 'inherit' });
  if (console_.status !== 0) {
    console.error(`payhub: the console build failed (vite exit ${console_.status ?? console_.signal}); fix the errors above`);
    process.exit(console_.status || 1);
  }
  writeFileSync(stamp, `${digest}\n`);
}
