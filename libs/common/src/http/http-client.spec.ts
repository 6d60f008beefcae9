import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpCall } from '@payhub/common';

describe('httpCall', () => {
  let server: Server;
  let base: string;
  const received: Array<{ method: string; url: string; contentType: string; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      readBody(req).then((body) => {
        received.push({ method: req.method!, url: req.url!, contentType: String(req.headers['content-type']), body });
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 500);
        if (req.url === '/redirect') return void res.writeHead(302, { location: '/elsewhere' }).end();
        res
          .writeHead(req.url === '/fail' ? 503 : 200, { 'content-type': 'application/json', 'x-trace': 'abc' })
          .end(JSON.stringify({ ok: req.url !== '/fail', echo: body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers status, headers, body and parsed JSON', async () => {
    const result = await httpCall({
      method: 'POST',
      url: `${base}/ok`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=2',
      timeoutMs: 2000,
    });
    expect(result).toMatchObject({ kind: 'response', status: 200, json: { ok: true, echo: 'a=1&b=2' } });
    expect(result.kind === 'response' && result.headers['x-trace']).toBe('abc');
    expect(received.at(-1)).toMatchObject({ method: 'POST', contentType: 'application/x-www-form-urlencoded', body: 'a=1&b=2' });
  });

  it('hands a 5xx back as a response, for the adapter to classify', async () => {
    expect(await httpCall({ method: 'GET', url: `${base}/fail`, timeoutMs: 2000 })).toMatchObject({ kind: 'response', status: 503, json: { ok: false } });
  });

  it('never follows a redirect', async () => {
    const result = await httpCall({ method: 'GET', url: `${base}/redirect`, timeoutMs: 2000 });
    expect(result).toMatchObject({ kind: 'response', status: 302, json: undefined });
    expect(received.some((r) => r.url === '/elsewhere')).toBe(false);
  });

  it('sends multipart form data with its boundary', async () => {
    const form = new FormData();
    form.append('amount', '150.00');
    form.append('note', 'two words');
    const result = await httpCall({ method: 'POST', url: `${base}/ok`, body: form, timeoutMs: 2000 });
    expect(result.kind).toBe('response');
    const sent = received.at(-1)!;
    const boundary = /boundary=(.+)$/.exec(sent.contentType)?.[1];
    expect(sent.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent.body).toContain(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\ntwo words\r\n`);
  });

  it('calls an answer that comes too late a timeout (the outcome is unknown)', async () => {
    const result = await httpCall({ method: 'GET', url: `${base}/slow`, timeoutMs: 100 });
    expect(result).toMatchObject({ kind: 'timeout', error: 'no answer within 100 ms' });
  });

  it('calls a refused connection not sent (the provider certainly did not take it)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await httpCall({ method: 'POST', url: `http://127.0.0.1:${port}/x`, body: 'a=1', timeoutMs: 2000 });
    expect(result).toMatchObject({ kind: 'not_sent' });
    expect(result.kind === 'not_sent' && result.error).toMatch(/^ECONNREFUSED/);
  });

  it('calls a malformed URL not sent', async () => {
    expect(await httpCall({ method: 'GET', url: 'not a url', timeoutMs: 2000 })).toMatchObject({ kind: 'not_sent' });
  });
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
  });
}
