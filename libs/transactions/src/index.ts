/** The kernel's vocabulary, re-exported for the app layers that already read it from here. */
export * from '@payhub/domain';
export * from './transaction.entity';
export * from './transaction-event.entity';
export * from './outbox.entity';
export * from './idempotency-key.entity';
export * from './transaction.errors';
export * from './transaction.presenter';
export * from './transaction-state.service';
export * from './transaction-query.service';
export * from './idempotency.service';
export * from './idempotency-fingerprint';
export * from './process-liveness.service';
export * from './outbox.service';
export * from './transactions.module';
export * from './webhook-event-types';
