import 'reflect-metadata';
import { loadConfig } from '@payhub/common';
import { createSandboxApp } from './create-sandbox-app';
import { PK_DEMO_ACCOUNT } from './paykassma/paykassma-sandbox.state';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createSandboxApp();
  await app.listen(config.sandboxPort, '0.0.0.0');
  const base = `http://127.0.0.1:${config.sandboxPort}`;
  // Paykassma posts back to a URL configured on its side: point the demo account at this payhub.
  await fetch(`${base}/paykassma/_sandbox/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret: PK_DEMO_ACCOUNT.secret, postbackUrl: `${config.publicUrl}/callbacks/paykassma` }),
  });
  console.log(`payhub sandbox (provider simulators) listening on ${base}`);
}

void main();
