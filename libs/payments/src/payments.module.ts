import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallbackInboxEntity } from './callbacks/callback-inbox.entity';
import { HandleCallbackUseCase } from './callbacks/handle-callback.use-case';
import { ApplyOutcomeService } from './apply-outcome.service';
import { CheckStatusUseCase } from './check-status.use-case';
import { CreatePaymentUseCase } from './create-payment.use-case';

export const PAYMENT_ENTITIES = [CallbackInboxEntity];

@Module({
  imports: [TypeOrmModule.forFeature(PAYMENT_ENTITIES)],
  providers: [CreatePaymentUseCase, ApplyOutcomeService, CheckStatusUseCase, HandleCallbackUseCase],
  exports: [CreatePaymentUseCase, ApplyOutcomeService, CheckStatusUseCase, HandleCallbackUseCase],
})
export class PaymentsModule {}
