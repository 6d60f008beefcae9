import { registerConfigDescriptor } from '@payhub/provider-config';
import { PAYKASSMA_CONFIG_DESCRIPTOR } from './paykassma-account.schema';

export * from './paykassma-account.schema';

registerConfigDescriptor(PAYKASSMA_CONFIG_DESCRIPTOR);
