/*
 * Runs TypeScript sources directly (benchmarks, ad-hoc scripts): transpiles .ts with swc on require and
 * resolves the @payhub/* aliases to libs/. Development only; the app itself runs compiled from dist/.
 */
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');
const { register } = require('tsconfig-paths');

const root = path.resolve(__dirname, '..');
register({
  baseUrl: root,
  paths: { '@payhub/backoffice-operations': ['libs/backoffice/src/operations'], '@payhub/providers-*': ['libs/providers/*/src'], '@payhub/*': ['libs/*/src'] },
});

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2023' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
