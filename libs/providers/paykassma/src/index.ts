import { registerConfigDescriptor } from '@payhub/provider-config';
import { PAYKASSMA_CONFIG_DESCRIPTOR } from './paykassma-account.schema';

export * from './paykassma-account.schema';
export * from './paykassma.provider';
export * from './paykassma.module';
export * from './paykassma-signature';
export * from './php-json';
export * from './paykassma.demo-seed';

registerConfigDescriptor(PAYKASSMA_CONFIG_DESCRIPTOR);
