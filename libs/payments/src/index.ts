export * from './dto';
export * from './apply-outcome.service';
export * from './provider-call';
export * from './create-payment.use-case';
export * from './payments.module';
export * from './transaction-view';
export * from './check-status.use-case';
export * from './callbacks';
