import type { RoutingRuleDto } from '@payhub/routing';
import { INTERKASSA_DEMO_SEED } from './interkassa.demo-seed';
import { KASHA_DEMO_SEED } from './kasha.demo-seed';
import { PAYKASSMA_DEMO_SEED } from './paykassma.demo-seed';

/** What each provider contributes to the demo merchant: a config pointing at the sandbox and its routing rules. */
export interface DemoProviderSeed {
  provider: string;
  config(sandboxUrl: string): Record<string, unknown>;
  rules: RoutingRuleDto[];
}

/** One entry per provider; demo data is not provider code, so the seeds live here (`<id>.demo-seed.ts`). */
export const DEMO_PROVIDER_SEEDS: DemoProviderSeed[] = [INTERKASSA_DEMO_SEED, KASHA_DEMO_SEED, PAYKASSMA_DEMO_SEED];
