import type { RoutingRuleDto } from '@payhub/routing';

/** What each provider contributes to the demo merchant: a config pointing at the sandbox and its routing rules. */
export interface DemoProviderSeed {
  provider: string;
  config(sandboxUrl: string): Record<string, unknown>;
  rules: RoutingRuleDto[];
}

/** One entry per provider module; each provider lib exports its seed (`<id>.demo-seed.ts`). */
export const DEMO_PROVIDER_SEEDS: DemoProviderSeed[] = [];
