import 'reflect-metadata';
import { loadConfig } from '@payhub/common';
import { createSandboxApp } from './create-sandbox-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createSandboxApp();
  await app.listen(config.sandboxPort, '0.0.0.0');
  console.log(`payhub sandbox (provider simulators) listening on http://127.0.0.1:${config.sandboxPort}`);
}

void main();
