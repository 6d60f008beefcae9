import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './webhook-endpoint';

const ROOT = join(__dirname, '..', '..');

/**
 * The api as its own OS process (`apps/api/src/main.ts`, transpiled on load by scripts/bench-register.js),
 * so a test can SIGKILL it mid-request and read every line it logged.
 */
export class ApiProcess {
  /** Everything the process wrote to stdout and stderr, as written. */
  output = '';
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(port: number, env: Record<string, string>): Promise<ApiProcess> {
    const child = spawn(process.execPath, ['-r', join(ROOT, 'scripts/bench-register.js'), join(ROOT, 'apps/api/src/main.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const api = new ApiProcess(child, `http://127.0.0.1:${port}`);
    child.stdout!.on('data', (chunk: Buffer) => (api.output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (api.output += chunk.toString('utf8')));
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`api exited (${child.exitCode}): ${api.output.slice(-2000)}`);
        return api.output.includes('payhub api listening');
      },
      60000,
      'the api process to listen',
    );
    return api;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}
