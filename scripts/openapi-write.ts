import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createApiApp } from '../apps/api/src/create-api-app';
import { buildOpenApiDocument } from '../apps/api/src/openapi/openapi-document';
import { preflight } from '../apps/shared/preflight';

/** `npm run openapi:write`: docs/openapi.json from the app as it runs (test/openapi.e2e-spec.ts holds the two equal). */
async function main(): Promise<void> {
  const config = await preflight('openapi:write');
  const app = await createApiApp({ ...config, logLevel: 'silent' });
  try {
    const target = resolve(__dirname, '..', '..', 'docs', 'openapi.json');
    writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
    console.log(`wrote ${target}`);
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  console.error(`payhub openapi:write failed: ${(error as Error).message}`);
  process.exit(1);
});
