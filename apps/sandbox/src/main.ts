import 'reflect-metadata';
import { loadConfig } from '@payhub/common';
import { listenOrExit } from '../../shared/listen';
import { createSandboxApp } from './create-sandbox-app';
import { PK_DEMO_ACCOUNT } from './paykassma/paykassma-sandbox.state';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createSandboxApp();
  await listenOrExit(app, 'sandbox', config.sandboxPort, config.host, 'SANDBOX_PORT');
  const base = `http://${config.localHost}:${config.sandboxPort}`;
  // Paykassma posts back to a URL configured on its side: point the demo account at this payhub.
  await fetch(`${base}/paykassma/_sandbox/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret: PK_DEMO_ACCOUNT.secret, postbackUrl: `${config.publicUrl}/callbacks/paykassma` }),
  });
  console.log(`payhub sandbox (provider simulators) listening on ${base}`);
}

void main();
