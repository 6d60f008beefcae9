import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';
import { DEFAULT_WEBHOOK_OPTIONS, nextRetryDelay } from './webhook-options';

describe('webhook signature', () => {
  const body = '{"eventId":"evt_1","type":"transaction.updated"}';
  const secret = 'whsec_test';

  it('signs "<t>.<raw body>" with HMAC-SHA256 in the documented header form', () => {
    const header = signWebhook(body, secret, 1700000000);
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies its own signature and refuses a changed body, another secret or an old timestamp', () => {
    const now = 1700000000 * 1000;
    const header = signWebhook(body, secret, 1700000000);
    expect(verifyWebhookSignature(body, header, secret, 300, now)).toBe(true);
    expect(verifyWebhookSignature(body.replace('evt_1', 'evt_2'), header, secret, 300, now)).toBe(false);
    expect(verifyWebhookSignature(body, header, 'whsec_other', 300, now)).toBe(false);
    expect(verifyWebhookSignature(body, header, secret, 300, now + 301_000)).toBe(false);
    expect(verifyWebhookSignature(body, 'v1=abc', secret, 300, now)).toBe(false);
  });
});

describe('webhook retry schedule', () => {
  it('spreads ten attempts over about a day by default', () => {
    const delays = DEFAULT_WEBHOOK_OPTIONS.retryDelaysMs;
    expect(delays).toHaveLength(9);
    const total = delays.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(22 * 3600_000);
    expect(total).toBeLessThanOrEqual(24 * 3600_000);
  });

  it('answers the wait after each failed attempt, then null once they are used up', () => {
    expect([1, 2, 3, 4].map((n) => nextRetryDelay(n, [10, 20, 30]))).toEqual([10, 20, 30, null]);
    expect(nextRetryDelay(0, [10])).toBeNull();
  });
});
