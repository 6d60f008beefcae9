import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACT_PATHS } from './logger-options';

describe('log redaction', () => {
  it('never writes card data, keys or secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    logger.info(
      {
        req: { headers: { 'x-api-key': 'phk_secret', authorization: 'Bearer jwt' } },
        card: { number: '4111111111111111', cvv: '123' },
        body: { card: { number: '5555555555554444', cvv: '999' }, amount: 100 },
        account: { apiKey: 'ak-1', secretKey: 'sk-1', settings: { apiKey: 'nested-ak' } },
        password: 'hunter2',
      },
      'payment',
    );
    const out = lines.join('');
    for (const secret of ['phk_secret', 'Bearer jwt', '4111111111111111', '5555555555554444', '"123"', '"999"', 'ak-1', 'sk-1', 'nested-ak', 'hunter2']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('"amount":100');
  });
});
