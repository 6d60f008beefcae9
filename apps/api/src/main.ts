import 'reflect-metadata';
import { preflight } from '../../shared/preflight';
import { createApiApp } from './create-api-app';

async function main(): Promise<void> {
  const config = await preflight('api');
  const app = await createApiApp(config);
  await app.listen(config.port, '0.0.0.0');
  console.log(`payhub api listening on http://127.0.0.1:${config.port} (docs at /docs, health at /health)`);
}

void main();
