import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** An app (api, worker, sandbox) as its own process, run from the TypeScript sources. Resolves once it printed `ready`. */
export async function startApp(name: 'api' | 'worker' | 'sandbox', env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', join(ROOT, 'scripts/bench-register.js'), join(ROOT, `apps/${name}/src/main.ts`)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (ready.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready: ${out.slice(-500)}`)));
  });
  return child;
}
