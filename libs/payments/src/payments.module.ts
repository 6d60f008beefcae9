import { Module } from '@nestjs/common';
import { ApplyOutcomeService } from './apply-outcome.service';
import { CreatePaymentUseCase } from './create-payment.use-case';

@Module({
  providers: [CreatePaymentUseCase, ApplyOutcomeService],
  exports: [CreatePaymentUseCase, ApplyOutcomeService],
})
export class PaymentsModule {}
