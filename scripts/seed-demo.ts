import type { INestApplicationContext } from '@nestjs/common';
import { randomToken, AppConfig, SecretBox } from '@payhub/common';
import { StaffRole, StaffService } from '@payhub/backoffice';
import { MerchantsService } from '@payhub/merchants';
import { ProviderConfigService } from '@payhub/provider-config';
import { RoutingService } from '@payhub/routing';
import { DEMO_PROVIDER_SEEDS } from './demo-providers';

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

  let merchant = await merchants.findByName(DEMO_MERCHANT);
  let webhookSecret: string | null = null;
  let stored: StoredDemo | null;
  const fresh = !merchant;
  if (!merchant) {
    const created = await merchants.create({ name: DEMO_MERCHANT, apiKey: config.demoApiKey ?? newDemoKey() });
    merchant = created.merchant;
    webhookSecret = created.webhookSecret;
    const [key] = await merchants.listApiKeys(merchant.id);
    stored = { apiKeyId: key.id, apiKey: created.apiKey, password: config.demoPassword ?? randomToken(12) };
  } else {
    const sealed = merchant.settings?.[DEMO_SETTINGS_KEY] as StoredDemo | undefined;
    stored = sealed ? { apiKeyId: sealed.apiKeyId, apiKey: box.open(sealed.apiKey), password: box.open(sealed.password) } : null;
  }
  const merchantId = merchant.id;
  // A demo seeded before the credentials were remembered: its password is unknown, so it is set anew.
  const passwordKnown = stored !== null;

  const keys = await merchants.listApiKeys(merchantId);
  const storedKeyId = stored?.apiKeyId;
  const keyInForce = keys.some((k) => k.id === storedKeyId && !k.revokedAt);
  const wantedKey = config.demoApiKey ?? (options.reset || !keyInForce ? newDemoKey() : stored!.apiKey);
  if (!stored || !keyInForce || wantedKey !== stored.apiKey) {
    // A fixed key may already be the merchant's (a database seeded before the key was remembered).
    const known = await merchants.authenticate(wantedKey);
    const apiKeyId = known?.id === merchantId ? known.apiKeyId : (await merchants.addApiKey(merchantId, wantedKey, 'demo')).id;
    if (stored && keyInForce && stored.apiKeyId !== apiKeyId) await merchants.revokeApiKey(merchantId, stored.apiKeyId);
    stored = { apiKeyId, apiKey: wantedKey, password: stored?.password ?? config.demoPassword ?? randomToken(12) };
  }

  const passwordChanged = options.reset === true || !passwordKnown || (config.demoPassword !== undefined && config.demoPassword !== stored.password);
  if (passwordChanged) stored.password = config.demoPassword ?? randomToken(12);
  await seedStaff(app.get(StaffService), stored.password, passwordChanged);

  if (fresh || options.reset) await seedProviders(app, merchantId, config);
  await merchants.updateSetting(merchantId, DEMO_SETTINGS_KEY, { apiKeyId: stored.apiKeyId, apiKey: box.seal(stored.apiKey), password: box.seal(stored.password) });
  return { merchantId, apiKey: stored.apiKey, webhookSecret, password: stored.password, staff: DEMO_STAFF };
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
    await app.get(RoutingService).replaceRules(merchantId, DEMO_PROVIDER_SEEDS.flatMap((seed) => seed.rules), 'demo-seed');
  }
}

function newDemoKey(): string {
  return `phk_demo_${randomToken(24)}`;
}
