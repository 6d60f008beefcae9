import type { INestApplicationContext } from '@nestjs/common';
import { randomToken, AppConfig } from '@payhub/common';
import { StaffRole, StaffService } from '@payhub/backoffice';
import { ApiKeyEntity, MerchantsService } from '@payhub/merchants';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ProviderConfigService } from '@payhub/provider-config';
import { RoutingService } from '@payhub/routing';
import { DEMO_PROVIDER_SEEDS } from './demo/demo-providers';
import { inTransaction } from '@payhub/database';

export interface DemoCredentials {
  merchantId: string;
  apiKey: string;
  webhookSecret: string | null;
  password: string;
  staff: Array<{ email: string; roles: StaffRole[] }>;
}

export const DEMO_MERCHANT = 'demo';
export const DEMO_STAFF: Array<{ email: string; roles: StaffRole[] }> = [
  { email: 'admin@payhub.local', roles: ['admin'] },
  // A second admin, so a newcomer can confirm what the first proposes (maker-checker).
  { email: 'admin2@payhub.local', roles: ['admin'] },
  { email: 'operator@payhub.local', roles: ['operator'] },
  { email: 'approver@payhub.local', roles: ['approver'] },
];

/**
 * Seeds the demo merchant and staff. Idempotent: a second run keeps the merchant and rotates the
 * demo key and password unless PAYHUB_DEMO_API_KEY / PAYHUB_DEMO_PASSWORD fix them.
 */
export async function seedDemo(app: INestApplicationContext, config: AppConfig): Promise<DemoCredentials> {
  if (config.env === 'production') throw new Error('Demo seeding is refused when NODE_ENV=production');
  const merchants = app.get(MerchantsService);
  const staff = app.get(StaffService);
  const db = app.get<DataSource>(getDataSourceToken());

  const apiKey = config.demoApiKey ?? `phk_demo_${randomToken(24)}`;
  let merchant = await merchants.findByName(DEMO_MERCHANT);
  let webhookSecret: string | null = null;
  if (!merchant) {
    const created = await merchants.create({ name: DEMO_MERCHANT, apiKey });
    merchant = created.merchant;
    webhookSecret = created.webhookSecret;
  } else {
    await inTransaction(db, async (manager) => {
      await manager.createQueryBuilder().update(ApiKeyEntity).set({ revokedAt: new Date() }).where('merchant_id = :id AND label = :label AND revoked_at IS NULL', { id: merchant!.id, label: 'demo' }).execute();
    });
    await merchants.addApiKey(merchant.id, apiKey, 'demo');
  }

  // Provider configs point at the local sandbox; the rules of every provider form the demo routing.
  const sandboxUrl = `http://127.0.0.1:${config.sandboxPort}`;
  const providerConfigs = app.get(ProviderConfigService);
  for (const seed of DEMO_PROVIDER_SEEDS) await providerConfigs.put(merchant.id, seed.provider, seed.config(sandboxUrl), 'demo-seed', 'demo seed');
  if (DEMO_PROVIDER_SEEDS.length) {
    await app.get(RoutingService).replaceRules(merchant.id, DEMO_PROVIDER_SEEDS.flatMap((seed) => seed.rules), 'demo-seed');
  }

  const password = config.demoPassword ?? randomToken(12);
  for (const member of DEMO_STAFF) {
    const existing = await staff.findByEmail(member.email);
    if (existing) await staff.update(existing.id, { password, roles: member.roles, status: 'active' });
    else await staff.create({ email: member.email, password, roles: member.roles });
  }
  return { merchantId: merchant.id, apiKey, webhookSecret, password, staff: DEMO_STAFF };
}

