import { registerConfigDescriptor } from '@payhub/provider-config';
import { INTERKASSA_CONFIG_DESCRIPTOR } from './interkassa-account.schema';

export * from './interkassa-account.schema';
export * from './interkassa-signature';
export * from './interkassa-status';
export * from './interkassa.provider';
export * from './interkassa.module';

registerConfigDescriptor(INTERKASSA_CONFIG_DESCRIPTOR);
