'use strict';
// Summarises a V8 .cpuprofile (`npm run bench -- … --cpu-prof` writes them to BENCH_PROFILE_DIR): self and
// inclusive time by package or payhub file and by function, optionally only over the profile's last seconds
// (the measured load, not the start-up), optionally only for frames matching a pattern. Plain CommonJS.
//   node scripts/cpuprofile-summary.js <file.cpuprofile> [--last 10] [--top 40] [--match sql-batch]
// On a loaded machine a sample taken after the process was descheduled carries the whole gap, so short
// functions that happen to be on the stack then (socket writes above all) look dearer than they are.
const { readFileSync } = require('node:fs');

const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const file = argv[0];
if (!file || file.startsWith('--')) {
  console.error('usage: node scripts/cpuprofile-summary.js <file.cpuprofile> [--last seconds] [--top n] [--match regexp]');
  process.exit(2);
}
const lastSeconds = Number(option('last', 0));
const top = Number(option('top', 40));
const match = option('match', null) ? new RegExp(option('match')) : null;

const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);

// Sampled microseconds per node, within the window.
let clock = 0;
const stamps = profile.timeDeltas.map((d) => (clock += d));
const from = lastSeconds ? clock - lastSeconds * 1e6 : -Infinity;
const sampled = new Map();
profile.samples.forEach((id, i) => {
  if (stamps[i] >= from) sampled.set(id, (sampled.get(id) ?? 0) + profile.timeDeltas[i]);
});
const total = [...sampled.values()].reduce((a, b) => a + b, 0);

const where = (url) => url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, '');
const fnKey = ({ callFrame: f }) => `${f.functionName || '(anonymous)'} ${f.url ? `${where(f.url)}:${f.lineNumber + 1}` : ''}`.trim();
const packageKey = ({ callFrame: f }) => {
  if (!f.url) return f.functionName;
  const pkg = f.url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  return pkg ? `npm:${pkg[1]}` : where(f.url);
};

function tally(keyOf) {
  const self = new Map();
  const inclusive = new Map();
  for (const [id, time] of sampled) {
    const key = keyOf(nodes.get(id));
    self.set(key, (self.get(key) ?? 0) + time);
    // Each key once per sample, however often it recurs on the stack.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = keyOf(nodes.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + time);
    }
  }
  return { self, inclusive };
}

function print(title, map) {
  console.log(`\n${title} (window ${(total / 1000).toFixed(0)} ms)`);
  [...map]
    .filter(([key]) => !match || match.test(key))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([key, time]) => console.log(`${(time / 1000).toFixed(1).padStart(9)} ms ${((100 * time) / total).toFixed(1).padStart(5)} %  ${key}`));
}

const byPackage = tally(packageKey);
const byFunction = tally(fnKey);
print('self time by package or file', byPackage.self);
print('inclusive time by package or file', byPackage.inclusive);
print('self time by function', byFunction.self);
print('inclusive time by function', byFunction.inclusive);
