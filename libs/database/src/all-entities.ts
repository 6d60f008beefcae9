import { BACKOFFICE_ENTITIES } from '@payhub/backoffice';
import { MERCHANT_ENTITIES } from '@payhub/merchants';
import { PAYMENT_ENTITIES } from '@payhub/payments';
import { PROVIDER_CONFIG_ENTITIES } from '@payhub/provider-config';
import { ROUTING_ENTITIES } from '@payhub/routing';
import { TRANSACTION_ENTITIES } from '@payhub/transactions';

/** Every entity, for schema diffing by the migrations CLI. The app loads entities per module. */
export const ALL_ENTITIES = [...MERCHANT_ENTITIES, ...TRANSACTION_ENTITIES, ...BACKOFFICE_ENTITIES, ...PROVIDER_CONFIG_ENTITIES, ...ROUTING_ENTITIES, ...PAYMENT_ENTITIES];
