import { ProviderConfigService } from '@payhub/provider-config';
import { RoutingService, type RoutingRuleDto } from '@payhub/routing';
import { TestApp, TestMerchant } from './support/test-app';
import { TEST_PROVIDER, TEST_PROVIDER_B } from './support/test-provider';

function rule(name: string, when: Record<string, unknown>, provider: string, overrides: Partial<RoutingRuleDto> = {}): RoutingRuleDto {
  return {
    name,
    priority: 10,
    enabled: true,
    when,
    then: { targets: [{ provider, account: 'DEFAULT', weight: 1 }], fallback: [] },
    ...overrides,
  } as RoutingRuleDto;
}

const BROWSER_FIELDS = [
  'acceptHeader',
  'userAgent',
  'language',
  'colorDepth',
  'screenHeight',
  'screenWidth',
  'timeZoneOffset',
  'javaEnabled',
  'javaScriptEnabled',
  'ip',
].map((f) => ({ field: `browser.${f}`, required: true }));

describe('GET /v1/payment-methods', () => {
  let t: TestApp;
  let m: TestMerchant;
  const SECRET_A = 'testpay-secret-a1b2c3';
  const SECRET_B = 'testpay-secret-d4e5f6';

  beforeAll(async () => {
    t = await TestApp.start();
    m = await t.newMerchant();
    const configs = t.app.get(ProviderConfigService);
    await configs.put(
      m.id,
      TEST_PROVIDER,
      {
        enabled: true,
        paywayMapping: 'VISA->visa,MASTERCARD->mastercard',
        baseUrls: {},
        accounts: { DEFAULT: { apiKey: SECRET_A, supportedCurrencies: 'INR|UAH|EUR' } },
      },
      'test',
    );
    await configs.put(
      m.id,
      TEST_PROVIDER_B,
      { enabled: true, baseUrls: {}, accounts: { DEFAULT: { apiKey: SECRET_B, supportedCurrencies: 'INR|BDT' } } },
      'test',
    );
    await t.app.get(RoutingService).replaceRules(
      m.id,
      [
        rule('INR UPI', { txTypes: ['WalletDeposit'], services: ['UPI'], currencies: ['INR'], amountMin: 10000, amountMax: 10000000 }, TEST_PROVIDER),
        rule('INR net banking', { txTypes: ['BankDeposit'], services: ['NET_BANKING'], currencies: ['INR'], countries: ['IN'] }, TEST_PROVIDER),
        rule('paytm', { services: ['paytm'], currencies: ['INR'] }, TEST_PROVIDER_B),
        rule('phonepe (off)', { services: ['phonepe'], currencies: ['INR'] }, TEST_PROVIDER_B, { enabled: false }),
        rule('bkash', { services: ['bkash'], currencies: ['BDT'] }, TEST_PROVIDER_B),
        // testpay-b/DEFAULT does not take EUR, so this method is not offered.
        rule('EUR wallet', { txTypes: ['WalletDeposit'], services: ['WALLET'], currencies: ['EUR'] }, TEST_PROVIDER_B),
        rule(
          'cards',
          {
            txTypes: ['CreditcardDeposit', 'CreditcardWithdrawal'],
            currencies: ['UAH', 'EUR'],
            cardBrands: ['VISA', 'MASTERCARD', 'AMEX'],
            amountMin: 100,
            amountMax: 5000000,
          },
          TEST_PROVIDER,
        ),
        rule('INR payouts', { txTypes: ['BankLocalWithdrawal', 'WalletWithdrawal'], currencies: ['INR'], amountMax: 2000000 }, TEST_PROVIDER),
      ],
      'test',
    );
    await t.app.get(RoutingService).setThreeDsSetting(m.id, { enabled: true, mode: 'required_3ds_v2' }, 'test');
  });
  afterAll(() => t.close());

  const list = (query: string) => m.api.get(`/v1/payment-methods?${query}`);
  const summary = (data: Array<{ txType: string; service: string | null }>) => data.map((d) => `${d.txType}/${d.service ?? '-'}`);

  it('lists the INR deposit methods routing accepts now, with input fields and limits, naming no provider', async () => {
    const res = await list('direction=DEPOSIT&currency=INR&country=IN&amount=50000');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ hasMore: false, nextCursor: null });
    expect(summary(res.body.data)).toEqual(['BankDeposit/NET_BANKING', 'WalletDeposit/UPI', 'WalletDeposit/paytm']);
    expect(res.body.data).toEqual([
      {
        txType: 'BankDeposit',
        service: 'NET_BANKING',
        name: 'Net banking',
        inputFields: [{ field: 'bank.name', required: true }],
        limits: { currency: 'INR', minAmount: null, maxAmount: null },
        threeDs: { required: false, mode: 'off' },
      },
      {
        txType: 'WalletDeposit',
        service: 'UPI',
        name: 'UPI',
        inputFields: [{ field: 'wallet.account', required: true }],
        limits: { currency: 'INR', minAmount: 10000, maxAmount: 10000000 },
        threeDs: { required: false, mode: 'off' },
      },
      {
        txType: 'WalletDeposit',
        service: 'paytm',
        name: 'paytm',
        inputFields: [],
        limits: { currency: 'INR', minAmount: null, maxAmount: null },
        threeDs: { required: false, mode: 'off' },
      },
    ]);
    for (const hidden of [TEST_PROVIDER, 'DEFAULT', SECRET_A, SECRET_B, 'apiKey']) expect(res.text).not.toContain(hidden);
  });

  it("follows the rules' amount bounds and country conditions", async () => {
    expect(summary((await list('direction=DEPOSIT&currency=INR&country=IN&amount=500')).body.data)).toEqual(['BankDeposit/NET_BANKING', 'WalletDeposit/paytm']);
    expect(summary((await list('direction=DEPOSIT&currency=INR&country=BD&amount=50000')).body.data)).toEqual(['WalletDeposit/UPI', 'WalletDeposit/paytm']);
    // Without an amount every method is listed with the range it accepts.
    const any = await list('direction=DEPOSIT&currency=INR&country=IN');
    expect(summary(any.body.data)).toEqual(['BankDeposit/NET_BANKING', 'WalletDeposit/UPI', 'WalletDeposit/paytm']);
    expect(any.body.data[1].limits).toEqual({ currency: 'INR', minAmount: 10000, maxAmount: 10000000 });
    expect(summary((await list('direction=DEPOSIT&currency=BDT')).body.data)).toEqual(['WalletDeposit/bkash']);
    expect((await list('direction=DEPOSIT&currency=EUR')).body.data.map((d: { service: string | null }) => d.service)).not.toContain('WALLET');
  });

  it('lists card methods with the brands that have a payway and the browser fields 3DS asks for', async () => {
    const res = await list('direction=DEPOSIT&currency=UAH&country=UA&amount=150000');
    expect(res.status).toBe(200);
    // AMEX is allowed by the rule but the account maps no payway for it, so a payment would be refused.
    expect(res.body.data).toEqual([
      {
        txType: 'CreditcardDeposit',
        service: null,
        name: 'Card',
        cardBrands: ['VISA', 'MASTERCARD'],
        inputFields: [
          { field: 'card.number', required: true },
          { field: 'card.expiryMonth', required: true },
          { field: 'card.expiryYear', required: true },
          { field: 'card.cvv', required: false },
          { field: 'card.holder', required: false },
          ...BROWSER_FIELDS,
        ],
        limits: { currency: 'UAH', minAmount: 100, maxAmount: 5000000 },
        threeDs: { required: true, mode: 'required_3ds_v2' },
      },
    ]);
  });

  it('lists withdrawal methods with their payout fields', async () => {
    const res = await list('direction=WITHDRAWAL&currency=INR&amount=50000');
    // Services named by rules without txTypes are wallet services in both directions; 'INR payouts' names no
    // service, so it routes an INR bkash payout even though the bkash rule itself is BDT only.
    expect(summary(res.body.data)).toEqual([
      'WalletWithdrawal/-',
      'WalletWithdrawal/UPI',
      'WalletWithdrawal/WALLET',
      'WalletWithdrawal/paytm',
      'WalletWithdrawal/bkash',
      'BankLocalWithdrawal/-',
    ]);
    const bank = res.body.data.find((d: { txType: string }) => d.txType === 'BankLocalWithdrawal');
    expect(bank).toMatchObject({
      name: 'Bank payout',
      inputFields: [
        { field: 'bank.name', required: true },
        { field: 'bank.accountNumber', required: true },
        { field: 'bank.clearingNumber', required: true },
        { field: 'bank.accountName', required: false },
      ],
      limits: { currency: 'INR', minAmount: null, maxAmount: 2000000 },
      threeDs: { required: false, mode: 'off' },
    });
    const cards = await list('direction=WITHDRAWAL&currency=EUR&amount=1000');
    expect(cards.body.data).toEqual([
      expect.objectContaining({ txType: 'CreditcardWithdrawal', name: 'Card payout', threeDs: { required: false, mode: 'off' } }),
    ]);
  });

  it('answers an empty list for a merchant without rules', async () => {
    const other = await t.newMerchant();
    const res = await other.api.get('/v1/payment-methods?direction=DEPOSIT&currency=INR');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], hasMore: false, nextCursor: null });
  });

  it('validates the query and needs an API key', async () => {
    const bad = await list('direction=SIDEWAYS&currency=inr&amount=-5&colour=red');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['direction', 'currency', 'amount', 'colour']));
    expect((await t.http.get('/v1/payment-methods?direction=DEPOSIT&currency=INR')).status).toBe(401);
  });
});
