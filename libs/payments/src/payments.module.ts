import { Module } from '@nestjs/common';
import { ApplyOutcomeService } from './apply-outcome.service';
import { CheckStatusUseCase } from './check-status.use-case';
import { CreatePaymentUseCase } from './create-payment.use-case';

@Module({
  providers: [CreatePaymentUseCase, ApplyOutcomeService, CheckStatusUseCase],
  exports: [CreatePaymentUseCase, ApplyOutcomeService, CheckStatusUseCase],
})
export class PaymentsModule {}
