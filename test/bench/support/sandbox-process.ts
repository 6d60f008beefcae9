import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** The provider simulators in a process of their own (as `npm start` runs them), from the TypeScript sources. */
export class SandboxProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(port: number, env: Record<string, string>): Promise<SandboxProcess> {
    const child = spawn(process.execPath, ['-r', join(ROOT, 'scripts/bench-register.js'), join(ROOT, 'apps/sandbox/src/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...env, SANDBOX_PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`sandbox exited (${child.exitCode})`);
      try {
        if ((await fetch(`${url}/health`)).ok) return new SandboxProcess(child, url);
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('sandbox did not start');
  }

  stop(): void {
    this.child.kill();
  }
}
