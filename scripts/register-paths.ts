import { resolve } from 'node:path';
import { register } from 'tsconfig-paths';

/** Resolves the @payhub/* aliases inside the compiled dist/ tree. */
register({
  baseUrl: resolve(__dirname, '..'),
  paths: { '@payhub/backoffice-operations': ['libs/backoffice/src/operations'], '@payhub/providers-*': ['libs/providers/*/src'], '@payhub/*': ['libs/*/src'] },
});
