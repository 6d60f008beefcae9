import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';

export interface ReceivedWebhook {
  eventId: string;
  transactionId: string;
  status: string;
  previousStatus: string | null;
  rawBody: string;
  signature: string;
  receivedAt: number;
}

export type Reply = { status: number; body?: string; delayMs?: number } | 'hang';

/** A merchant's webhook endpoint on a free port: records every request and answers as `reply` says. */
export class WebhookEndpoint {
  readonly received: ReceivedWebhook[] = [];
  /** Highest number of requests of one transaction in flight at once. */
  maxInFlightPerTransaction = 0;
  private readonly inFlight = new Map<string, number>();
  private readonly hanging: ServerResponse[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    public reply: (hook: ReceivedWebhook, nth: number) => Reply,
  ) {}

  static async start(reply: (hook: ReceivedWebhook, nth: number) => Reply = () => ({ status: 200 })): Promise<WebhookEndpoint> {
    let endpoint!: WebhookEndpoint;
    const server = createServer((req, res) => void endpoint.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    endpoint = new WebhookEndpoint(server, `http://127.0.0.1:${port}/hooks/payhub`, reply);
    return endpoint;
  }

  of(eventId: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.eventId === eventId);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const body = JSON.parse(rawBody) as { eventId: string; previousStatus: string | null; transaction: { id: string; status: string } };
    const hook: ReceivedWebhook = {
      eventId: body.eventId,
      transactionId: body.transaction.id,
      status: body.transaction.status,
      previousStatus: body.previousStatus,
      rawBody,
      signature: String(req.headers['payhub-signature'] ?? ''),
      receivedAt: Date.now(),
    };
    this.received.push(hook);
    const running = (this.inFlight.get(hook.transactionId) ?? 0) + 1;
    this.inFlight.set(hook.transactionId, running);
    this.maxInFlightPerTransaction = Math.max(this.maxInFlightPerTransaction, running);
    const reply = this.reply(hook, this.of(hook.eventId).length);
    if (reply === 'hang') {
      this.hanging.push(res);
      res.on('close', () => this.inFlight.set(hook.transactionId, (this.inFlight.get(hook.transactionId) ?? 1) - 1));
      return;
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    this.inFlight.set(hook.transactionId, (this.inFlight.get(hook.transactionId) ?? 1) - 1);
    res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.body ?? (reply.status < 300 ? 'ok' : 'nope'));
  }
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 15000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
