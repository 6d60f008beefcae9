'use strict';
// `npm start` and `npm test` run this first, on whichever Node runs npm (the system's may be older than
// the project's Node 24, which is itself a dependency): plain CommonJS, nothing but Node's own modules.
// It installs the dependencies with `npm ci` when node_modules is missing or package-lock.json changed
// since the last install, and does nothing otherwise.
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const lockfile = join(root, 'package-lock.json');
const modules = join(root, 'node_modules');
/** The SHA-256 of the package-lock.json that node_modules was installed from. */
const stamp = join(modules, '.payhub-lock-sha256');

function lockHash() {
  return createHash('sha256').update(readFileSync(lockfile)).digest('hex');
}

/** Installed from this lockfile: the stamp says so, or (an install made without this script) npm's own record is newer. */
function isCurrent(hash) {
  if (!existsSync(join(modules, '.bin', 'node'))) return false;
  if (existsSync(stamp)) return readFileSync(stamp, 'utf8').trim() === hash;
  const record = join(modules, '.package-lock.json');
  return existsSync(record) && statSync(record).mtimeMs >= statSync(lockfile).mtimeMs;
}

function install() {
  console.log(existsSync(modules) ? 'payhub: package-lock.json changed, reinstalling dependencies (npm ci)…' : 'payhub: installing dependencies (npm ci)…');
  // The npm that runs this script, on the Node that runs that npm; a plain `npm` when run by hand.
  const npmCli = process.env.npm_execpath;
  const [command, args] =
    npmCli && npmCli.endsWith('.js')
      ? [process.env.npm_node_execpath || process.execPath, [npmCli, 'ci', '--no-audit', '--no-fund']]
      : ['npm', ['ci', '--no-audit', '--no-fund']];
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: command === 'npm' && process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`payhub: npm ci failed (exit ${result.status ?? result.signal}); fix the error above and run it again`);
    process.exit(result.status || 1);
  }
}

const hash = lockHash();
if (!isCurrent(hash)) {
  install();
  writeFileSync(stamp, `${hash}\n`);
} else if (!existsSync(stamp)) {
  writeFileSync(stamp, `${hash}\n`);
}
