import { KASHA_DEFAULT_READINGS, KASHA_OTHER_PATHS, kashaRoutedUrl } from './kasha-sandbox.state';

describe("the Kasha simulator's paths reading", () => {
  const other = { ...KASHA_DEFAULT_READINGS, paths: KASHA_OTHER_PATHS };

  it('serves the defaults untouched when no path is switched', () => {
    expect(kashaRoutedUrl(KASHA_DEFAULT_READINGS, '/kasha/v2/payout')).toBe('/kasha/v2/payout');
    expect(kashaRoutedUrl(KASHA_DEFAULT_READINGS, '/kasha/v2/transactions/t-1?x=1')).toBe('/kasha/v2/transactions/t-1?x=1');
  });

  it('routes a replacement path to the route of its name, keeping the id and query', () => {
    expect(kashaRoutedUrl(other, '/kasha/v2/hosted-cashier')).toBe('/kasha/v2/hosted-payment');
    expect(kashaRoutedUrl(other, '/kasha/v2/create-payout')).toBe('/kasha/v2/payout');
    expect(kashaRoutedUrl(other, '/kasha/v2/transaction/t-1/status?x=1')).toBe('/kasha/v2/transactions/t-1?x=1');
  });

  it('a replaced default answers nowhere; documented paths stay', () => {
    expect(kashaRoutedUrl(other, '/kasha/v2/hosted-payment')).toBe('/kasha/_sandbox/not-served/v2/hosted-payment');
    expect(kashaRoutedUrl(other, '/kasha/v2/transactions/t-1')).toBe('/kasha/_sandbox/not-served/v2/transactions/t-1');
    expect(kashaRoutedUrl(other, '/kasha/v2/payout')).toBe('/kasha/_sandbox/not-served/v2/payout');
    expect(kashaRoutedUrl(other, '/kasha/v2/payment-options')).toBe('/kasha/v2/payment-options');
    expect(kashaRoutedUrl(other, '/kasha/v2/settle-payout')).toBe('/kasha/v2/settle-payout');
  });
});
