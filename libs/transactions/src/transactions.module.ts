import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { IdempotencyService } from './idempotency.service';
import { OutboxEntity } from './outbox.entity';
import { OutboxService } from './outbox.service';
import { ProcessLiveness } from './process-liveness.service';
import { TransactionEventEntity } from './transaction-event.entity';
import { TransactionStateService } from './transaction-state.service';
import { TransactionEntity } from './transaction.entity';
import { TransactionQueryService } from './transaction-query.service';

export const TRANSACTION_ENTITIES = [TransactionEntity, TransactionEventEntity, OutboxEntity, IdempotencyKeyEntity];

@Global()
@Module({
  imports: [TypeOrmModule.forFeature(TRANSACTION_ENTITIES)],
  providers: [TransactionStateService, IdempotencyService, ProcessLiveness, TransactionQueryService, OutboxService],
  exports: [TransactionStateService, IdempotencyService, ProcessLiveness, TransactionQueryService, OutboxService],
})
export class TransactionsModule {}
