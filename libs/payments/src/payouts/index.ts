export * from './payout-queue';
export * from './payout-auto-approval.service';
export * from './payout-decision.use-case';
export * from './submit-payout.use-case';
export * from './payout-sweep.service';
