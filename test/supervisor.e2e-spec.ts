import { Supervised } from '../scripts/supervisor';
import { waitFor } from './support/webhook-endpoint';

/** `npm start`'s supervisor around real child processes (small Node scripts standing in for api and worker). */
describe('npm start supervisor', () => {
  const running: Supervised[] = [];
  afterAll(async () => {
    for (const s of running) await s.stop('SIGKILL');
  });

  function supervise(script: string, options: { firstDelayMs?: number; healthyAfterMs?: number } = {}) {
    const lines: string[] = [];
    const said: Array<{ at: number; message: string }> = [];
    const s = new Supervised({
      name: 'worker',
      command: process.execPath,
      args: ['-e', script],
      onLine: (line) => lines.push(line),
      say: (message) => said.push({ at: Date.now(), message }),
      firstDelayMs: options.firstDelayMs ?? 100,
      maxDelayMs: 400,
      healthyAfterMs: options.healthyAfterMs ?? 60000,
    });
    running.push(s);
    return { s, lines, said };
  }

  it('restarts a process killed with SIGKILL and says so', async () => {
    const { s, lines, said } = supervise("console.log('up ' + process.pid); setInterval(() => {}, 1000)");
    await waitFor(async () => lines.length === 1, 10000, 'the first start');
    const first = s.child!.pid;
    process.kill(first!, 'SIGKILL');
    await waitFor(async () => lines.length === 2, 10000, 'the restart');
    expect(said.map((m) => m.message)).toEqual(['worker exited (SIGKILL); restarting in 0.1 s (restart 1)']);
    expect(s.child!.pid).not.toBe(first);
    expect(lines[1]).toBe(`up ${s.child!.pid}`);
  });

  it('backs off while a process keeps crashing, up to the cap', async () => {
    const { s, said } = supervise("console.log('up'); setTimeout(() => process.exit(3), 20)");
    await waitFor(async () => said.length >= 5, 20000, 'five crashes');
    await s.stop();
    const delays = said.slice(0, 5).map((m) => /restarting in ([\d.]+) s/.exec(m.message)![1]);
    expect(delays).toEqual(['0.1', '0.2', '0.4', '0.4', '0.4']);
    expect(said[0].message).toBe('worker exited (code 3); restarting in 0.1 s (restart 1)');
    // The waits were kept.
    expect(said[2].at - said[1].at).toBeGreaterThanOrEqual(200);
  });

  it('a stop is not a crash: nothing is restarted', async () => {
    const { s, lines, said } = supervise("console.log('up'); setInterval(() => {}, 1000)");
    await waitFor(async () => lines.length === 1, 10000, 'the start');
    await s.stop();
    await new Promise((r) => setTimeout(r, 300));
    expect(lines).toEqual(['up']);
    expect(said.map((m) => m.message)).toEqual(['worker stopped (SIGTERM)']);
  });
});
