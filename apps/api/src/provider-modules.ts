import type { Type } from '@nestjs/common';
// Provider libs register their config schemas on import.
import { InterkassaModule } from '@payhub/providers-interkassa';
import { PaykassmaModule } from '@payhub/providers-paykassma';
import { KashaModule } from '@payhub/providers-kasha';

/**
 * Provider adapter modules shipped with payhub. The api and the worker both import this list, so a
 * provider added here is served to merchants and reconciled by the worker alike. Tests may add their own.
 */
export const PROVIDER_MODULES: Type[] = [InterkassaModule, KashaModule, PaykassmaModule];
