import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { StaffRole, StaffService } from '@payhub/backoffice';
import { AppConfig, randomToken } from '@payhub/common';
import { MerchantsService } from '@payhub/merchants';
import { WEBHOOK_EVENT_TYPES } from '@payhub/transactions';
import { ProviderConfigService } from '@payhub/provider-config';
import { RoutingRuleDto, RoutingService } from '@payhub/routing';
import { freePort } from './free-port';
import { HttpClient, HttpResult } from './http-client';
import { testConfig } from './test-config';
import { TEST_PROVIDER, TestPayProvider, TestProviderModule } from './test-provider';

export interface TestMerchant {
  id: string;
  apiKey: string;
  webhookSecret: string;
  /** HTTP client that sends this merchant's X-API-Key. */
  api: HttpClient;
}

/**
 * The real api app on a free port, with the test-only provider installed, plus small factories.
 * Each test builds its own merchant and staff, so files never depend on each other's data.
 */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly config: AppConfig,
    readonly http: HttpClient,
  ) {}

  static async start(options: { extraModules?: Array<Type | DynamicModule>; env?: Record<string, string> } = {}): Promise<TestApp> {
    // The port is chosen first so PUBLIC_URL (the callback URLs handed to providers) is this app's own.
    const port = await freePort();
    const config = testConfig({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...options.env });
    const app = await createApiApp(config, [TestProviderModule, ...(options.extraModules ?? [])]);
    await app.listen(port, '127.0.0.1');
    return new TestApp(app, config, new HttpClient(`http://127.0.0.1:${port}`));
  }

  get db(): DataSource {
    return this.app.get<DataSource>(getDataSourceToken());
  }

  get testProvider(): TestPayProvider {
    return this.app.get(TestPayProvider);
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  /**
   * A merchant of the test's own. It receives every webhook event type unless told otherwise, so tests of
   * delivery see each status change; the default selection (null) is tested where it is the subject.
   */
  async newMerchant(name = `m-${randomToken(6)}`, options: { webhookEvents?: string[] | null } = {}): Promise<TestMerchant> {
    const webhookEvents = options.webhookEvents === undefined ? [...WEBHOOK_EVENT_TYPES] : options.webhookEvents;
    const created = await this.app.get(MerchantsService).create({ name, webhookUrl: null, webhookEvents });
    return { id: created.merchant.id, apiKey: created.apiKey, webhookSecret: created.webhookSecret, api: this.http.with({ 'x-api-key': created.apiKey }) };
  }

  /** A staff user with the given roles, logged in over HTTP; returns a client carrying the Bearer token. */
  async newStaff(roles: StaffRole[], password = `pw-${randomToken(12)}`): Promise<{ id: string; email: string; password: string; bo: HttpClient }> {
    const email = `${roles.join('-')}-${randomToken(6).toLowerCase()}@test.local`;
    const staff = await this.app.get(StaffService).create({ email, password, roles });
    const login = await this.http.post('/backoffice/auth/login', { email, password });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
    return { id: staff.id, email, password, bo: this.http.with({ authorization: `Bearer ${login.body.accessToken}` }) };
  }

  /** Confirms a maker-checker proposal (a 202 answer) as a second admin; answers the confirmation. */
  async confirmChange(proposal: HttpResult, checker?: HttpClient): Promise<HttpResult> {
    if (proposal.status !== 202) throw new Error(`expected a proposal (202), got ${proposal.status} ${proposal.text}`);
    this.checker ??= (await this.newStaff(['admin'])).bo;
    const confirmed = await (checker ?? this.checker).post(`/backoffice/pending-changes/${proposal.body.id}/confirm`);
    if (confirmed.status !== 200) throw new Error(`confirm failed: ${confirmed.status} ${confirmed.text}`);
    return confirmed;
  }

  private checker?: HttpClient;

  /** Stores `config` as the merchant's `provider` config and routes every payment to its DEFAULT account (one catch-all rule). */
  async routeAllToProvider(merchantId: string, provider: string, config: unknown): Promise<void> {
    await this.app.get(ProviderConfigService).put(merchantId, provider, config, 'test');
    await this.app.get(RoutingService).replaceRules(merchantId, [catchAllRule(provider)], 'test');
  }

  /** Configures the test provider for a merchant and one catch-all rule routing to it. */
  async routeAllTo(merchantId: string, rules?: RoutingRuleDto[], providers: string[] = [TEST_PROVIDER]): Promise<void> {
    for (const provider of providers) {
      await this.app
        .get(ProviderConfigService)
        .put(
          merchantId,
          provider,
          { enabled: true, testMode: true, baseUrls: {}, accounts: { DEFAULT: { apiKey: 'k-123456', supportedCurrencies: 'UAH|EUR|USD|INR|JPY|KWD' } } },
          'test',
        );
    }
    await this.app.get(RoutingService).replaceRules(merchantId, rules ?? [catchAllRule(providers[0])], 'test');
  }
}

/** One enabled rule that sends every payment to `provider`'s DEFAULT account, with no fallback. */
export function catchAllRule(provider: string, name = 'everything'): RoutingRuleDto {
  return {
    name,
    priority: 10,
    enabled: true,
    when: {},
    then: { targets: [{ provider, account: 'DEFAULT', weight: 100 }], fallback: [] },
  } as RoutingRuleDto;
}

export function deposit(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    merchantTxId: `order-${randomToken(8)}`,
    userId: 'user-55',
    txType: 'CreditcardDeposit',
    amount: 150000,
    currency: 'UAH',
    country: 'UA',
    card: { number: '4111111111111111', expiryMonth: '12', expiryYear: '2030', cvv: '123', holder: 'JOHN DOE' },
    customer: { email: 'a@b.co', phone: '+380501234567', firstName: 'John', lastName: 'Doe' },
    redirectUrls: { success: 'https://m.example/ok', failure: 'https://m.example/fail' },
    ...overrides,
  };
}
