import { registerConfigDescriptor } from '@payhub/provider-config';
import { KASHA_CONFIG_DESCRIPTOR } from './kasha-account.schema';

export * from './kasha-account.schema';

registerConfigDescriptor(KASHA_CONFIG_DESCRIPTOR);
