import { Module } from '@nestjs/common';
import { ProviderConfigModule } from '@payhub/provider-config';
import { ApplyOutcomeService } from '../apply-outcome.service';
import { PayoutQueue } from './payout-queue';
import { PayoutSweepService } from './payout-sweep.service';
import { PayoutProcessor } from './payout.processor';
import { SubmitPayoutUseCase } from './submit-payout.use-case';

/**
 * The payouts queue's consumer, for the worker (`WorkerModule.forRoot(config, { extraModules: [PayoutsProcessingModule] })`).
 * Needs the provider adapter modules next to it; the api never imports this, so it never submits.
 */
@Module({
  imports: [ProviderConfigModule],
  providers: [ApplyOutcomeService, SubmitPayoutUseCase, PayoutProcessor, PayoutQueue, PayoutSweepService],
  exports: [SubmitPayoutUseCase, PayoutSweepService],
})
export class PayoutsProcessingModule {}
