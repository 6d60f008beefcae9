import { ChildProcess, spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

/**
 * A merchant's webhook endpoint in a process of its own (so it does not take the worker's CPU): answers
 * 200 at once, or after `slowMs` for paths starting with /slow, and counts distinct eventIds with the
 * time each first arrived. GET /report answers { count, arrivals: [[eventId, ms], …] }.
 */
const SCRIPT = `
const http = require('node:http');
const slowMs = Number(process.env.SLOW_MS || 5000);
const seen = new Map();
let requests = 0;
http.createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ count: seen.size, requests, arrivals: req.url === '/report' ? [...seen] : undefined }));
  }
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    requests++;
    const id = req.headers['payhub-event-id'];
    if (!seen.has(id)) seen.set(id, Date.now());
    const answer = () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    if (req.url.startsWith('/slow')) setTimeout(answer, slowMs); else answer();
  });
}).listen(0, '127.0.0.1', function () { process.stdout.write(JSON.stringify({ port: this.address().port }) + '\\n'); });
`;

export class Receiver {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(slowMs = 5000): Promise<Receiver> {
    const child = spawn(process.execPath, ['-e', SCRIPT], { env: { ...process.env, SLOW_MS: String(slowMs) }, stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()).port)));
    return new Receiver(child, `http://127.0.0.1:${port}`);
  }

  async count(): Promise<{ count: number; requests: number }> {
    return (await fetch(`${this.url}/count`)).json() as Promise<{ count: number; requests: number }>;
  }

  async arrivals(): Promise<Map<string, number>> {
    const body = (await (await fetch(`${this.url}/report`)).json()) as { arrivals: Array<[string, number]> };
    return new Map(body.arrivals);
  }

  stop(): void {
    this.child.kill();
  }
}

export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

/** Load and CPU steal of the machine while a bench ran, from /proc (the machine is shared). */
export function machineLoad(): { load1: number; cpus: number } {
  return { load1: Number(loadavg()[0].toFixed(2)), cpus: cpus().length };
}
