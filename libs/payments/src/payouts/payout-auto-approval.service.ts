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

  /** The merchant's rule that approves this payout without staff, if any. */
  async ruleFor(merchantId: string, currency: string, amount: bigint): Promise<{ currency: string; below: number } | null> {
    const { rules } = await this.merchants.payoutAutoApprove(merchantId);
    const rule = rules.find((r) => r.currency === currency);
    return rule && amount < BigInt(rule.below) ? rule : null;
  }

  /** Moves a covered withdrawal on (REGISTERED) without enqueueing it; the caller submits it. */
  async approve(tx: TransactionEntity, rule: { currency: string; below: number }): Promise<boolean> {
    const { changed } = await this.state.transition(tx.id, TxStatus.REGISTERED, {
      source: 'system',
      actor: 'auto-approve',
      reason: `below the merchant's auto-approve limit of ${rule.below} ${rule.currency}`,
    });
    return changed;
  }

  async apply(tx: TransactionEntity): Promise<TransactionEntity> {
    const rule = await this.ruleFor(tx.merchantId, tx.currency, tx.amount);
    if (!rule) return tx;
    const { tx: approved, changed } = await this.state.transition(tx.id, TxStatus.REGISTERED, {
      source: 'system',
      actor: 'auto-approve',
      reason: `below the merchant's auto-approve limit of ${rule.below} ${rule.currency}`,
    });
    if (changed) await this.payouts.enqueue(tx.id);
    return approved;
  }
}
