import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '..';
import { DomainError, ErrorCode, asJsonInteger } from '@payhub/common';
import { TransactionEntity, TransactionStateService, TxStatus } from '@payhub/transactions';
import type { StaffActor } from '@payhub/payments';
import { forceRefusal } from './force-rules';

export { FORCEABLE_STATUSES, forceRefusal } from './force-rules';
import { inTransaction } from '@payhub/database';

/**
 * The one way around the transition table, for what the machine cannot settle itself: INCONSISTENT
 * transactions and unresolved conflicts. Row lock, event of kind `forced` and audit row commit together.
 */
@Injectable()
export class ForceStatusUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly state: TransactionStateService,
    private readonly audit: AuditService,
  ) {}

  async force(actor: StaffActor, txId: string, to: TxStatus, reason: string): Promise<TransactionEntity> {
    return inTransaction(this.dataSource, async (manager) => {
      const tx = await this.state.lock(manager, txId);
      const openConflict = tx.conflict !== null && !tx.conflict.resolved;
      const refusal = forceRefusal(tx.status, to, openConflict);
      if (refusal) throw new DomainError(ErrorCode.TRANSACTION_NOT_ELIGIBLE, `${txId} cannot be forced to ${to}: ${refusal}`, [], { status: tx.status });
      const before = { status: tx.status, conflict: tx.conflict, refundedAmount: asJsonInteger(tx.refundedAmount) };
      const { tx: forced } = await this.state.forceStatus(txId, to, { source: 'backoffice', actor: actor.staff.id, reason }, manager);
      await this.audit.record(
        {
          actor: actor.staff,
          action: 'transaction.force_status',
          targetType: 'transaction',
          targetId: txId,
          before,
          after: { status: forced.status, conflict: forced.conflict },
          reason,
          requestId: actor.requestId,
        },
        manager,
      );
      return forced;
    });
  }
}
