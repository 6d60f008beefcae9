import { DomainError, ErrorCode } from '@payhub/common';
import type { TxStatus } from '@payhub/domain';

export class IllegalTransitionError extends DomainError {
  constructor(txId: string, from: TxStatus, to: TxStatus) {
    super(ErrorCode.ILLEGAL_TRANSITION, `Transaction ${txId} cannot move from ${from} to ${to}`, [], { from, to });
  }
}

export class TransactionNotFoundError extends DomainError {
  constructor(txId: string) {
    super(ErrorCode.TRANSACTION_NOT_FOUND, `Transaction ${txId} was not found`);
  }
}
