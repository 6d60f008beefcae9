import { newId, timeOfId } from '../ids';
import { MetricsService } from './metrics.service';

describe('MetricsService', () => {
  it('with metrics disabled exports nothing and every call is a no-op', async () => {
    const metrics = new MetricsService(false);
    metrics.httpRequest('/v1/deposits', 'POST', 201, 0.01);
    metrics.callback('kasha', 'applied');
    metrics.exportGauges(true);
    expect((await metrics.render()).trim()).toBe('');
  });

  it('exports the database gauges only while told to (the lease holder), and none of a stale value after', async () => {
    const metrics = new MetricsService(true);
    expect(await metrics.render()).not.toContain('payhub_webhook_pending');
    metrics.exportGauges(true);
    metrics.gauges.webhookPending.set(7);
    expect(await metrics.render()).toContain('payhub_webhook_pending 7');
    metrics.exportGauges(false);
    expect(await metrics.render()).not.toContain('payhub_webhook_pending');
    metrics.exportGauges(true);
    expect(await metrics.render()).toContain('payhub_webhook_pending 0');
  });

  it('times a delivered webhook from its event id (the ULID creation time)', async () => {
    const metrics = new MetricsService(true);
    const eventId = `evt_${encodeTime(Date.now() - 4000)}${'0'.repeat(16)}`;
    metrics.webhookAttempt('http_error', eventId);
    metrics.webhookAttempt('delivered', eventId);
    const text = await metrics.render();
    expect(text).toContain('payhub_webhook_deliveries_total{outcome="http_error"} 1');
    expect(text).toContain('payhub_webhook_deliveries_total{outcome="delivered"} 1');
    expect(text).toContain('payhub_webhook_delivery_lag_seconds_count 1');
    expect(text).toContain('payhub_webhook_delivery_lag_seconds_bucket{le="2.5"} 0');
    expect(text).toContain('payhub_webhook_delivery_lag_seconds_bucket{le="5"} 1');
  });

  it('reads the creation time back out of a payhub id', () => {
    const before = Date.now();
    const id = newId('tx');
    expect(timeOfId(id)).toBeGreaterThanOrEqual(before);
    expect(timeOfId(id)).toBeLessThanOrEqual(Date.now());
    // The ULID specification's own example and its time.
    expect(timeOfId('evt_01ARYZ6S41TSV4RRFFQ69G5FAV')).toBe(1469918176385);
    expect(timeOfId('tx_not-a-ulid')).toBeNull();
    expect(timeOfId('tx_01U3456789ABCDEFGHJKMNPQRS')).toBeNull();
  });
});

/** The 10-character ULID time part, Crockford base 32 (as `ulid` writes it). */
function encodeTime(ms: number): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let out = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) out = alphabet[t % 32] + out;
  return out;
}
