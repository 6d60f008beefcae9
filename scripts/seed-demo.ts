import type { INestApplicationContext } from '@nestjs/common';
import { randomToken, AppConfig, SecretBox } from '@payhub/common';
import { StaffRole, StaffService } from '@payhub/backoffice';
import { MerchantEntity, MerchantsService } from '@payhub/merchants';
import { ProviderConfigService } from '@payhub/provider-config';
import { RoutingService } from '@payhub/routing';
import { DEMO_PROVIDER_SEEDS } from './demo/demo-providers';

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

/** What the demo keeps between starts, on the demo merchant's settings, sealed: the banner shows them again. */
export const DEMO_SETTINGS_KEY = 'demo';
interface StoredDemo {
  apiKeyId: string;
  apiKey: string;
  password: string;
}

export interface SeedOptions {
  /** Issue a new key (revoking the old), reset the demo staff's passwords and roles, rewrite provider configs and routing. */
  reset?: boolean;
}

/**
 * Seeds the demo merchant and staff on the first start and keeps them on every later one: the key, the
 * staff passwords and whatever staff changed (provider configs, routing, roles) stay, unless `reset`
 * asks, or PAYHUB_DEMO_API_KEY / PAYHUB_DEMO_PASSWORD now name a different key or password. A replaced
 * demo key is revoked.
 */
export async function seedDemo(app: INestApplicationContext, config: AppConfig, options: SeedOptions = {}): Promise<DemoCredentials> {
  if (config.env === 'production') throw new Error('Demo seeding is refused when NODE_ENV=production');
  const merchants = app.get(MerchantsService);
  const box = app.get(SecretBox);
  const reset = options.reset === true;

  const existing = await merchants.findByName(DEMO_MERCHANT);
  const demo = existing ? { merchant: existing, webhookSecret: null, stored: readStored(existing.settings, box) } : await createDemoMerchant(merchants, config);
  const merchantId = demo.merchant.id;
  const apiKey = await demoKeyInForce(merchants, merchantId, demo.stored, config.demoApiKey, reset);

  // A demo seeded before its credentials were remembered has an unknown password: it is set anew.
  const resetPassword = reset || !demo.stored || (config.demoPassword !== undefined && config.demoPassword !== demo.stored.password);
  const password = resetPassword || !demo.stored ? (config.demoPassword ?? randomToken(12)) : demo.stored.password;
  await seedStaff(app.get(StaffService), password, resetPassword);

  if (!existing || reset) await seedProviders(app, merchantId, config);
  await merchants.updateSetting(merchantId, DEMO_SETTINGS_KEY, { apiKeyId: apiKey.id, apiKey: box.seal(apiKey.key), password: box.seal(password) });
  return { merchantId, apiKey: apiKey.key, webhookSecret: demo.webhookSecret, password, staff: DEMO_STAFF };
}

async function createDemoMerchant(
  merchants: MerchantsService,
  config: AppConfig,
): Promise<{ merchant: MerchantEntity; webhookSecret: string; stored: StoredDemo }> {
  const created = await merchants.create({ name: DEMO_MERCHANT, apiKey: config.demoApiKey ?? newDemoKey() });
  const [key] = await merchants.listApiKeys(created.merchant.id);
  return {
    merchant: created.merchant,
    webhookSecret: created.webhookSecret,
    stored: { apiKeyId: key.id, apiKey: created.apiKey, password: config.demoPassword ?? randomToken(12) },
  };
}

function readStored(settings: Record<string, unknown> | null, box: SecretBox): StoredDemo | null {
  const sealed = settings?.[DEMO_SETTINGS_KEY] as StoredDemo | undefined;
  return sealed ? { apiKeyId: sealed.apiKeyId, apiKey: box.open(sealed.apiKey), password: box.open(sealed.password) } : null;
}

/** The remembered key while it is in force, unless a reset or a different fixed key replaces it (revoking it). */
async function demoKeyInForce(
  merchants: MerchantsService,
  merchantId: string,
  stored: StoredDemo | null,
  fixedKey: string | undefined,
  reset: boolean,
): Promise<{ id: string; key: string }> {
  const keys = await merchants.listApiKeys(merchantId);
  const current = stored && keys.some((k) => k.id === stored.apiKeyId && !k.revokedAt) ? { id: stored.apiKeyId, key: stored.apiKey } : null;
  const wanted = fixedKey ?? (reset || !current ? newDemoKey() : current.key);
  if (current && wanted === current.key) return current;
  // A fixed key may already be the merchant's (a database seeded before the key was remembered).
  const known = await merchants.authenticate(wanted);
  const id = known?.id === merchantId ? known.apiKeyId : (await merchants.addApiKey(merchantId, wanted, 'demo')).id;
  if (current && current.id !== id) await merchants.revokeApiKey(merchantId, current.id);
  return { id, key: wanted };
}

/** Missing demo staff are created; existing ones keep their password and roles unless the password is reset. */
async function seedStaff(staff: StaffService, password: string, reset: boolean): Promise<void> {
  for (const member of DEMO_STAFF) {
    const existing = await staff.findByEmail(member.email);
    if (!existing) await staff.create({ email: member.email, password, roles: member.roles });
    else if (reset) await staff.update(existing.id, { password, roles: member.roles, status: 'active' });
  }
}

/** Provider configs point at the local sandbox; the rules of every provider form the demo routing. */
async function seedProviders(app: INestApplicationContext, merchantId: string, config: AppConfig): Promise<void> {
  const sandboxUrl = config.sandboxUrl;
  const providerConfigs = app.get(ProviderConfigService);
  for (const seed of DEMO_PROVIDER_SEEDS) await providerConfigs.put(merchantId, seed.provider, seed.config(sandboxUrl), 'demo-seed', 'demo seed');
  if (DEMO_PROVIDER_SEEDS.length) {
    await app.get(RoutingService).replaceRules(
      merchantId,
      DEMO_PROVIDER_SEEDS.flatMap((seed) => seed.rules),
      'demo-seed',
    );
  }
}

function newDemoKey(): string {
  return `phk_demo_${randomToken(24)}`;
}
