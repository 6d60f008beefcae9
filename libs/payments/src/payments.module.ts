import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallbackInboxEntity } from './callbacks/callback-inbox.entity';
import { HandleCallbackUseCase } from './callbacks/handle-callback.use-case';
import { TrailingStatusChecks } from './callbacks/trailing-status-check';
import { ActivateDepositUseCase } from './activate-deposit.use-case';
import { ApplyOutcomeService } from './apply-outcome.service';
import { CheckStatusUseCase } from './check-status.use-case';
import { CreatePaymentUseCase } from './create-payment.use-case';
import { PAYMENT_OPERATIONS } from './payment-operations.providers';

export const PAYMENT_ENTITIES = [CallbackInboxEntity];

@Module({
  imports: [TypeOrmModule.forFeature(PAYMENT_ENTITIES)],
  providers: [
    ActivateDepositUseCase,
    CreatePaymentUseCase,
    ApplyOutcomeService,
    CheckStatusUseCase,
    HandleCallbackUseCase,
    TrailingStatusChecks,
    ...PAYMENT_OPERATIONS,
  ],
  exports: [
    ActivateDepositUseCase,
    CreatePaymentUseCase,
    ApplyOutcomeService,
    CheckStatusUseCase,
    HandleCallbackUseCase,
    TrailingStatusChecks,
    ...PAYMENT_OPERATIONS,
  ],
})
export class PaymentsModule {}
