#!/usr/bin/env node
/*
 * Some registry mirrors do not carry every platform build of packages that ship native binaries as
 * optional dependencies (@swc/core-*, @unrs/resolver-binding-*, …). npm then leaves those entries out of
 * package-lock.json, and `npm ci` refuses the lock as out of sync. This adds a minimal entry (version,
 * os, cpu, optional) for each one `npm ci --dry-run` reports missing; npm never installs a foreign
 * platform's optional package, so nothing is fetched for them. Run after `npm install` changes the lock:
 *   node scripts/lockfile-optional-platforms.js
 */
const { execSync } = require('node:child_process');
const fs = require('node:fs');

const output = (() => {
  try {
    return execSync('npm ci --dry-run --no-audit --no-fund', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    return `${error.stdout ?? ''}${error.stderr ?? ''}`;
  }
})();
const missing = [...output.matchAll(/Missing: (\S+?)@\S* from lock file/g)].map((m) => m[1]);
if (!missing.length) {
  console.log('package-lock.json is complete');
  process.exit(0);
}

const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix'];
const CPU = ['arm64', 'x64', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32', 'arm'];
for (const name of missing) {
  const parent = Object.values(lock.packages).find((entry) => entry.optionalDependencies?.[name]);
  if (!parent) throw new Error(`no package lists ${name} as an optional dependency`);
  const entry = { version: parent.optionalDependencies[name].replace(/^[\^~=]/, ''), optional: true };
  const cpu = CPU.find((c) => name.includes(c));
  const os = OS.find((o) => name.includes(o));
  if (cpu) entry.cpu = [cpu];
  if (os) entry.os = [os];
  lock.packages[`node_modules/${name}`] = entry;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
fs.writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${missing.length} optional platform entries to package-lock.json`);
