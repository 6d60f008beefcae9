import { createServer, Server } from 'node:http';
import { httpCall } from '../http/http-client';
import { addressIssue, outboundUrlIssue, policedDispatcher } from './outbound-url-policy';

const PRODUCTION = { allowLoopback: false, requireHttps: true };
const DEVELOPMENT = { allowLoopback: true, requireHttps: false };

describe('outbound URL policy', () => {
  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.100.100.200',
    '0.0.0.0',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::',
    '::ffff:10.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a9fe:a9fe',
  ])('refuses %s in every environment', (address) => {
    expect(addressIssue(address, DEVELOPMENT)).not.toBeNull();
    expect(addressIssue(address, PRODUCTION)).not.toBeNull();
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111'])('allows the public address %s', (address) => {
    expect(addressIssue(address, PRODUCTION)).toBeNull();
  });

  it('allows loopback only where the setting says so', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect(addressIssue(address, DEVELOPMENT)).toBeNull();
      expect(addressIssue(address, PRODUCTION)).toMatch(/loopback/);
    }
    expect(outboundUrlIssue('http://localhost:3000/hook', DEVELOPMENT)).toBeNull();
    expect(outboundUrlIssue('http://localhost:3000/hook', PRODUCTION)).not.toBeNull();
    expect(outboundUrlIssue('https://app.localhost/hook', PRODUCTION)).toMatch(/loopback/);
  });

  it('checks the URL itself: scheme, https in production, credentials, literal and metadata hosts', () => {
    expect(outboundUrlIssue('http://shop.example/hook', PRODUCTION)).toBe('must use https');
    expect(outboundUrlIssue('https://shop.example/hook', PRODUCTION)).toBeNull();
    expect(outboundUrlIssue('ftp://shop.example/hook', DEVELOPMENT)).toBe('must be an http(s) URL');
    expect(outboundUrlIssue('https://user:pw@shop.example/', PRODUCTION)).toBe('must not carry credentials');
    expect(outboundUrlIssue('https://[fd00::1]/x', PRODUCTION)).not.toBeNull();
    expect(outboundUrlIssue('https://0x7f000001/x', PRODUCTION)).not.toBeNull();
    expect(outboundUrlIssue('https://2130706433/x', PRODUCTION)).not.toBeNull();
    expect(outboundUrlIssue('http://metadata.google.internal/computeMetadata/v1/', DEVELOPMENT)).toMatch(/metadata/);
    expect(outboundUrlIssue('https://intranet/x', PRODUCTION)).toBe('must be a public host name');
    expect(outboundUrlIssue('not a url', PRODUCTION)).not.toBeNull();
  });

  describe('after DNS resolution, at connect time', () => {
    let server: Server;
    let port: number;
    let hits = 0;
    beforeAll(async () => {
      server = createServer((_req, res) => {
        hits++;
        res.end('internal answer');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('refuses a name that resolves to a refused address, and reaches it where allowed', async () => {
      const refused = policedDispatcher(PRODUCTION);
      const allowed = policedDispatcher(DEVELOPMENT);
      try {
        const blocked = await httpCall({ method: 'POST', url: `http://localhost:${port}/`, body: '{}', timeoutMs: 2000, dispatcher: refused });
        expect(blocked).toMatchObject({ kind: 'not_sent', error: expect.stringMatching(/loopback/) });
        expect(hits).toBe(0);
        const reached = await httpCall({
          method: 'POST',
          url: `http://localhost:${port}/`,
          body: '{}',
          timeoutMs: 2000,
          dispatcher: allowed,
          maxResponseBytes: 8,
        });
        expect(reached).toMatchObject({ kind: 'response', status: 200, body: 'internal' });
        expect(hits).toBe(1);
      } finally {
        await Promise.all([refused.close(), allowed.close()]);
      }
    });
  });
});
