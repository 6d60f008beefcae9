import './tracing';
import 'reflect-metadata';
import { listenOrExit } from '../../shared/listen';
import { preflight } from '../../shared/preflight';
import { createApiApp } from './create-api-app';

async function main(): Promise<void> {
  const config = await preflight('api');
  const app = await createApiApp(config);
  await listenOrExit(app, 'api', config.port, config.host, 'PORT');
  console.log(`payhub api listening on http://${config.localHost}:${config.port} (bound to ${config.host}; docs at /docs, health at /health)`);
}

void main();
