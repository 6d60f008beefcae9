import { Injectable } from '@nestjs/common';
import { MerchantsService } from '@payhub/merchants';
import { TransactionEntity, TransactionStateService, TxStatus } from '@payhub/transactions';
import { PayoutQueue } from './payout-queue';

/** The merchant's optional rule: payouts strictly below a per-currency amount need no staff approval. */
@Injectable()
export class PayoutAutoApprovalService {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly state: TransactionStateService,
    private readonly payouts: PayoutQueue,
  ) {}

  async apply(tx: TransactionEntity): Promise<TransactionEntity> {
    const { rules } = await this.merchants.payoutAutoApprove(tx.merchantId);
    const rule = rules.find((r) => r.currency === tx.currency);
    if (!rule || tx.amount >= BigInt(rule.below)) return tx;
    const { tx: approved, changed } = await this.state.transition(tx.id, TxStatus.REGISTERED, {
      source: 'system', actor: 'auto-approve', reason: `below the merchant's auto-approve limit of ${rule.below} ${rule.currency}`,
    });
    if (changed) await this.payouts.enqueue(tx.id);
    return approved;
  }
}
