import { ChildProcess, spawn } from 'node:child_process';

export interface SupervisedOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Each line the child writes, stdout and stderr alike. */
  onLine: (line: string) => void;
  /** What the supervisor itself says (exits, restarts). */
  say: (message: string) => void;
  /** Waits before restart n (1, 2, …): doubles from `firstDelayMs` up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** A child that ran at least this long counts as healthy: the next crash starts the backoff again. */
  healthyAfterMs?: number;
}

/**
 * Keeps one child process running for `npm start`: when it exits without being asked to, it is started
 * again after a backoff, and the supervisor says so. `stop()` ends it for good. Production uses a real
 * supervisor (docker-compose `restart:`, systemd) around `start:api` / `start:worker` instead.
 */
export class Supervised {
  child: ChildProcess | null = null;
  restarts = 0;
  private crashesInARow = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: SupervisedOptions) {
    this.start();
  }

  get name(): string {
    return this.options.name;
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  private start(): void {
    const { name, command, args, env, onLine, say } = this.options;
    const startedAt = Date.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    this.child = child;
    for (const stream of [child.stdout!, child.stderr!]) {
      let buffer = '';
      stream.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) onLine(line);
      });
    }
    child.on('exit', (code, signal) => {
      const how = signal ?? `code ${code}`;
      if (this.stopped) {
        say(`${name} stopped (${how})`);
        return;
      }
      const healthyAfter = this.options.healthyAfterMs ?? 60_000;
      this.crashesInARow = Date.now() - startedAt >= healthyAfter ? 1 : this.crashesInARow + 1;
      const first = this.options.firstDelayMs ?? 1000;
      const delay = Math.min(first * 2 ** (this.crashesInARow - 1), this.options.maxDelayMs ?? 30_000);
      this.restarts++;
      say(`${name} exited (${how}); restarting in ${(delay / 1000).toFixed(1)} s (restart ${this.restarts})`);
      this.timer = setTimeout(() => {
        this.timer = null;
        if (!this.stopped) this.start();
      }, delay);
    });
  }
}
