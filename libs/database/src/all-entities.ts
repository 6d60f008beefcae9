import { BACKOFFICE_ENTITIES } from '@payhub/backoffice';
import { MERCHANT_ENTITIES } from '@payhub/merchants';
import { NOTIFICATION_ENTITIES } from '@payhub/notifications';
import { PAYMENT_ENTITIES } from '@payhub/payments';
import { PROVIDER_CONFIG_ENTITIES } from '@payhub/provider-config';
import { RECONCILIATION_ENTITIES } from '@payhub/reconciliation';
import { ROUTING_ENTITIES } from '@payhub/routing';
import { TRANSACTION_ENTITIES } from '@payhub/transactions';

/**
 * Every entity, for schema diffing by the migrations CLI. Each lib names its entities once, in its
 * `<LIB>_ENTITIES` list, which its module registers with `forFeature`; this composes those lists, and
 * test/entities.e2e-spec.ts fails when the api or the worker loads an entity that is not here.
 */
export const ALL_ENTITIES = [
  ...MERCHANT_ENTITIES,
  ...TRANSACTION_ENTITIES,
  ...BACKOFFICE_ENTITIES,
  ...PROVIDER_CONFIG_ENTITIES,
  ...ROUTING_ENTITIES,
  ...PAYMENT_ENTITIES,
  ...NOTIFICATION_ENTITIES,
  ...RECONCILIATION_ENTITIES,
];
