/**
 * payhub's import boundaries, checked by `npm test` (npm run depcruise). Type-only imports count:
 * a cycle through `import type` is still two owners for one vocabulary.
 */
const PROVIDERS = 'interkassa|kasha|paykassma';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kernel-imports-nothing',
      severity: 'error',
      comment: 'libs/domain is the vocabulary kernel: it depends on no other payhub code and no package.',
      from: { path: '^libs/domain/' },
      to: { pathNot: '^libs/domain/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'provider-libs-never-import-each-other',
      severity: 'error',
      from: { path: `^libs/providers/(${PROVIDERS})/` },
      to: { path: `^libs/providers/(${PROVIDERS})/`, pathNot: '^libs/providers/$1/' },
    },
    {
      name: 'providers-never-load-persistence',
      severity: 'error',
      comment: 'Adapters speak the kernel vocabulary and carry their config schema; persistence and use cases are not theirs.',
      from: { path: '^libs/providers/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^libs/(transactions|database|payments|provider-config|routing|reconciliation|notifications|backoffice|merchants)/' },
    },
    {
      name: 'simulators-import-no-payhub-code',
      severity: 'error',
      comment: 'A simulator that shares adapter code cannot fail a test the adapter gets wrong.',
      from: { path: '^apps/sandbox/' },
      to: { path: '^(libs/(providers|payments|routing|transactions|provider-config)|apps/(api|worker))/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-never-import-scripts',
      severity: 'error',
      from: { path: '^apps/' },
      to: { path: '^scripts/' },
    },
    {
      name: 'production-code-never-imports-tests',
      severity: 'error',
      from: { path: '^(apps|libs|scripts)/', pathNot: '(\\.spec\\.ts|/__fixtures__/.*)$' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|apps/console)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
