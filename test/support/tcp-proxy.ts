import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP pass-through in front of a real service (MySQL, Redis): `down()` drops every connection and
 * refuses new ones, as a crashed server would; `up()` listens again on the same port.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  /** `tap`, when given, is handed each new client connection's bytes towards the service (to count what a client sends). */
  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    private readonly tap?: () => (chunk: Buffer) => void,
  ) {}

  async up(): Promise<this> {
    const server = createServer((client) => {
      const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      if (this.tap) client.on('data', this.tap());
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
    return this;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
