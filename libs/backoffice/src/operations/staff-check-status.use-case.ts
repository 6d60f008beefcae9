import { Injectable } from '@nestjs/common';
import { AuditService } from '..';
import { CheckStatusUseCase, type StaffActor } from '@payhub/payments';
import { presentTransaction, TransactionQueryService, TransactionResponse } from '@payhub/transactions';

/** "Check status now" from the console: the provider is asked at once, the answer applied as a status check, the request audited. */
@Injectable()
export class StaffCheckStatusUseCase {
  constructor(
    private readonly query: TransactionQueryService,
    private readonly checks: CheckStatusUseCase,
    private readonly audit: AuditService,
  ) {}

  async check(actor: StaffActor, txId: string): Promise<{ result: string; transaction: TransactionResponse }> {
    const before = presentTransaction(await this.query.get(txId));
    const { result } = await this.checks.check(txId, { source: 'status_check', actor: actor.staff.id });
    const after = presentTransaction(await this.query.get(txId));
    await this.audit.record({
      actor: actor.staff,
      action: 'transaction.check_status',
      targetType: 'transaction',
      targetId: txId,
      before: { status: before.status },
      after: { status: after.status, result },
      requestId: actor.requestId,
    });
    return { result, transaction: after };
  }
}
