import { inspect } from 'node:util';
import { FailureCode, TxStatus } from '@payhub/domain';
import { CaptureServer } from '../../../../../test/support/capture-server';
import { observeProviderExchanges, ProviderHttp } from './provider-http';
import { redact, redactUrl } from './redact';
import { Secret } from './secret';
import { mapStatus, statusTable } from './status-table';

describe('provider toolkit', () => {
  const server = new CaptureServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('Secret prints [redacted] in strings, JSON, logs and util.inspect; reveal() gives the value', () => {
    const key = new Secret('sk-live-123');
    expect(`${key}`).toBe('[redacted]');
    expect(JSON.stringify({ key })).toBe('{"key":"[redacted]"}');
    expect(inspect({ key })).not.toContain('sk-live-123');
    expect(key.reveal()).toBe('sk-live-123');
  });

  it('one redactor for every provider spelling of card data and keys', () => {
    expect(
      redact({
        ik_pay_card_number: '4111111111111111',
        ik_pay_card_cvv: '123',
        'details[card]': '5555555555554444',
        extraData: { cardnum: '4111111111111111', cardcvv: '1', cardholder: 'JOHN DOE' },
        card: { number: '4111 1111 1111 1111' },
        apiKey: 'k',
        account_number: '0170099220000067797370',
        identify: { number: '36570630563' },
      }),
    ).toEqual({
      ik_pay_card_number: '411111******1111',
      ik_pay_card_cvv: '[redacted]',
      'details[card]': '555555******4444',
      extraData: { cardnum: '411111******1111', cardcvv: '[redacted]', cardholder: 'JOHN DOE' },
      card: { number: '411111******1111' },
      apiKey: '[redacted]',
      account_number: '0170099220000067797370',
      identify: { number: '36570630563' },
    });
    expect(redactUrl('https://x/api?secret=abc&label=u')).toBe('https://x/api?secret=***&label=u');
  });

  it('ProviderHttp sends JSON, url-encoded forms and multipart through FormData, and records each exchange redacted', async () => {
    server.respond({ body: { ok: true } });
    const http = new ProviderHttp('testpay', `${server.url}/base/`, 2000);
    const seen: string[] = [];
    const stop = observeProviderExchanges((provider, exchange) => seen.push(`${provider}:${exchange.step}:${exchange.status}`));
    await http.send('json', { method: 'POST', path: '/a', query: { secret: 's3', ids: ['1', '2'] }, json: { card: { number: '4111111111111111' } } });
    expect(server.last()).toMatchObject({
      method: 'POST',
      url: '/base/a?secret=s3&ids%5B%5D=1&ids%5B%5D=2',
      contentType: 'application/json',
      body: '{"card":{"number":"4111111111111111"}}',
    });
    await http.send('form', { method: 'POST', path: '/b', form: { a: '1', b: 'x y' } });
    expect(server.last()).toMatchObject({ contentType: 'application/x-www-form-urlencoded', body: 'a=1&b=x+y' });
    await http.send('multipart', {
      method: 'POST',
      path: '/c',
      multipart: { sessionId: 's-1', file: { bytes: new Uint8Array([1, 2, 3]), filename: 'a.png', contentType: 'image/png' } },
    });
    expect(server.last().contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(server.last().form().sessionId).toBe('s-1');
    stop();
    expect(seen).toEqual(['testpay:json:200', 'testpay:form:200', 'testpay:multipart:200']);
    expect(http.exchanges[0]).toMatchObject({
      url: `${server.url}/base/a?secret=***&ids%5B%5D=1&ids%5B%5D=2`,
      request: { card: { number: '411111******1111' } },
      status: 200,
    });
    expect(http.exchanges[2].request).toEqual({ sessionId: 's-1', file: '<image/png, 3 bytes>' });
  });

  it('a status table maps every documented value and never guesses an undocumented one', () => {
    const table = statusTable<'PAID' | 'OPEN'>({ PAID: { status: TxStatus.SUCCESSFUL }, OPEN: { status: TxStatus.WAITING_INPUT } });
    expect(mapStatus(table, 'PAID', 'state', 'Testpay').status).toBe(TxStatus.SUCCESSFUL);
    expect(mapStatus(table, 'REFUNDED', 'state', 'Testpay')).toMatchObject({
      status: TxStatus.INCONSISTENT,
      failure: { code: FailureCode.PROVIDER_ERROR, providerCode: 'REFUNDED' },
    });
    expect(mapStatus(table, 'toString', 'state', 'Testpay').status).toBe(TxStatus.INCONSISTENT);
  });
});
