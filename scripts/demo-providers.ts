import type { RoutingRuleDto } from '@payhub/routing';
import { INTERKASSA_DEMO_SEED } from '@payhub/providers-interkassa';
import { KASHA_DEMO_SEED } from '@payhub/providers-kasha';
import { PAYKASSMA_DEMO_SEED } from '@payhub/providers-paykassma';

/** What each provider contributes to the demo merchant: a config pointing at the sandbox and its routing rules. */
export interface DemoProviderSeed {
  provider: string;
  config(sandboxUrl: string): Record<string, unknown>;
  rules: RoutingRuleDto[];
}

/** One entry per provider module; each provider lib exports its seed (`<id>.demo-seed.ts`). */
export const DEMO_PROVIDER_SEEDS: DemoProviderSeed[] = [INTERKASSA_DEMO_SEED, KASHA_DEMO_SEED, PAYKASSMA_DEMO_SEED];
