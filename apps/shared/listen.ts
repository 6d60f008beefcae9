import { createServer } from 'node:net';

/** One sentence for a port that cannot be bound, or null for any other error. */
export function describeListenError(error: unknown, port: number, host: string, variable: string): string | null {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'EADDRINUSE') return `port ${port} on ${host} is already in use; stop what uses it or set ${variable} to a free port`;
  if (code === 'EACCES') return `port ${port} on ${host} needs privileges this user lacks; set ${variable} above 1023`;
  if (code === 'EADDRNOTAVAIL') return `HOST=${host} is not an address of this machine; use 127.0.0.1, 0.0.0.0 or one of its addresses`;
  return null;
}

/** Binds the app, or prints one sentence naming the port and exits 1 (no stack trace for a taken port). */
export async function listenOrExit(
  app: { listen(port: number, host: string): Promise<unknown> },
  name: string,
  port: number,
  host: string,
  variable: string,
): Promise<void> {
  try {
    await app.listen(port, host);
  } catch (error) {
    const sentence = describeListenError(error, port, host, variable);
    if (!sentence) throw error;
    console.error(`payhub ${name} cannot start: ${sentence}`);
    process.exit(1);
  }
}

/** Resolves with the sentence for the first port that cannot be bound now, or null when all are free. */
export async function firstUnbindablePort(host: string, ports: Array<{ port: number; variable: string }>): Promise<string | null> {
  for (const { port, variable } of ports) {
    const problem = await new Promise<string | null>((resolve) => {
      const probe = createServer();
      probe.once('error', (error) => resolve(describeListenError(error, port, host, variable) ?? `port ${port} on ${host}: ${error.message}`));
      probe.listen(port, host, () => probe.close(() => resolve(null)));
    });
    if (problem) return problem;
  }
  return null;
}
