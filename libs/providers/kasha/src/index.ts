import { registerConfigDescriptor } from '@payhub/provider-config';
import { KASHA_CONFIG_DESCRIPTOR } from './kasha-account.schema';

export * from './kasha-account.schema';
export * from './kasha-error-codes';
export * from './kasha.provider';
export * from './kasha.module';

registerConfigDescriptor(KASHA_CONFIG_DESCRIPTOR);
