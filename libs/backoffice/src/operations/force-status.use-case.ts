import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '..';
import { DomainError, ErrorCode, asJsonInteger } from '@payhub/common';
import { TransactionEntity, TransactionStateService, TxStatus } from '@payhub/transactions';
import type { StaffActor } from '@payhub/payments';
import { inTransaction } from '@payhub/database';

/** Where staff may put a transaction: a final status, or back with the provider for more status checks. */
export const FORCEABLE_STATUSES: readonly TxStatus[] = [TxStatus.SUCCESSFUL, TxStatus.FAILED, TxStatus.CANCELLED, TxStatus.PROCESSING];

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
      if (tx.status !== TxStatus.INCONSISTENT && !openConflict) {
        throw new DomainError(ErrorCode.TRANSACTION_NOT_ELIGIBLE, `${txId} is ${tx.status} without an open conflict; only INCONSISTENT or conflicting transactions can be forced`, [], { status: tx.status });
      }
      const before = { status: tx.status, conflict: tx.conflict, refundedAmount: asJsonInteger(tx.refundedAmount) };
      const { tx: forced } = await this.state.forceStatus(txId, to, { source: 'backoffice', actor: actor.staff.id, reason }, manager);
      await this.audit.record({
        actor: actor.staff, action: 'transaction.force_status', targetType: 'transaction', targetId: txId,
        before, after: { status: forced.status, conflict: forced.conflict }, reason, requestId: actor.requestId,
      }, manager);
      return forced;
    });
  }
}
