import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a provider would have received it. */
export interface CapturedRequest {
  method: string;
  /** Path with query string, as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  contentType: string;
  /** The body decoded as form fields (url-encoded or multipart), or as JSON. */
  form(): Record<string, string>;
  json(): unknown;
}

export interface CannedAnswer {
  status?: number;
  body?: unknown;
  contentType?: string;
}

/**
 * A local HTTP server standing in for a provider in adapter unit specs: it records every request
 * exactly as received and answers what the spec says, so a spec can assert the vendor payload.
 */
export class CaptureServer {
  readonly requests: CapturedRequest[] = [];
  private server: Server | null = null;
  private answer: (req: CapturedRequest) => CannedAnswer = () => ({ status: 404, body: { error: 'no answer set' } });

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** What every following request gets; a function to answer by path. */
  respond(answer: CannedAnswer | ((req: CapturedRequest) => CannedAnswer)): void {
    this.answer = typeof answer === 'function' ? answer : () => answer;
    this.requests.length = 0;
  }

  last(): CapturedRequest {
    const req = this.requests.at(-1);
    if (!req) throw new Error('The provider received no request');
    return req;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then((body) => {
        const captured = capture(req, body);
        this.requests.push(captured);
        const answer = this.answer(captured);
        const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
        res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? (typeof answer.body === 'string' ? 'text/plain' : 'application/json') });
        res.end(payload);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function capture(req: IncomingMessage, body: string): CapturedRequest {
  const contentType = String(req.headers['content-type'] ?? '');
  return {
    method: req.method ?? '',
    url: req.url ?? '',
    headers: req.headers,
    body,
    contentType,
    form: () =>
      contentType.startsWith('multipart/form-data')
        ? parseMultipart(body, contentType)
        : contentType.includes('json')
          ? (JSON.parse(body) as Record<string, string>)
          : Object.fromEntries(new URLSearchParams(body)),
    json: () => JSON.parse(body),
  };
}

function parseMultipart(body: string, contentType: string): Record<string, string> {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) throw new Error('multipart body without a boundary');
  const fields: Record<string, string> = {};
  for (const part of body.split(`--${boundary}`).slice(1, -1)) {
    const [head, ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
    const name = /name="([^"]+)"/.exec(head)?.[1];
    if (name) fields[name] = rest.join('\r\n\r\n').replace(/\r\n$/, '');
  }
  return fields;
}
