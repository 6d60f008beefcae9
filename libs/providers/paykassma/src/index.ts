import { registerConfigDescriptor } from '@payhub/provider-config';
import { PAYKASSMA_CONFIG_DESCRIPTOR } from './paykassma-account.schema';

export * from './paykassma-account.schema';
export * from './paykassma.provider';
export * from './paykassma.module';
export * from './paykassma-signature';
export * from './php-json';

registerConfigDescriptor(PAYKASSMA_CONFIG_DESCRIPTOR);
