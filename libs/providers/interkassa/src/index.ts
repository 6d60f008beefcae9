import { registerConfigDescriptor } from '@payhub/provider-config';
import { INTERKASSA_CONFIG_DESCRIPTOR } from './interkassa-account.schema';

export * from './interkassa-account.schema';

registerConfigDescriptor(INTERKASSA_CONFIG_DESCRIPTOR);
