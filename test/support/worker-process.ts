import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './webhook-endpoint';

const ROOT = join(__dirname, '..', '..');

/** Compiles the project into `outDir` (its own: other engineers build into dist/ at the same time). */
export async function buildInto(outDir: string): Promise<void> {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  // Other engineers' unfinished files may fail the type check; what matters is that the worker was emitted.
  await promisify(execFile)(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], { cwd: ROOT }).catch(() => undefined);
  if (!existsSync(join(outDir, 'apps/worker/src/main.js'))) throw new Error(`the build did not emit ${outDir}/apps/worker/src/main.js`);
}

/** The compiled worker as production runs it (`npm run start:worker`), with the environment given. */
export class SpawnedWorker {
  readonly lines: Array<Record<string, unknown>> = [];
  /** The metrics URL the worker printed when it came up, if it serves one. */
  metricsUrl: string | null = null;
  private constructor(readonly child: ChildProcess) {}

  static async start(outDir: string, env: Record<string, string>): Promise<SpawnedWorker> {
    const child = spawn(process.execPath, ['-r', join(outDir, 'scripts/register-paths.js'), join(outDir, 'apps/worker/src/main.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_PATH: join(ROOT, 'node_modules'), NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new SpawnedWorker(child);
    let ready = false;
    let buffered = '';
    let errors = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        if (line.startsWith('payhub worker running')) {
          ready = true;
          worker.metricsUrl = /metrics at (\S+?)\)?$/.exec(line)?.[1] ?? null;
        } else if (line.startsWith('{')) worker.lines.push(JSON.parse(line));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}): ${errors}`);
        return ready;
      },
      30000,
      'the worker to boot',
    );
    return worker;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}
