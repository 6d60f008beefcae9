import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@payhub/backoffice';
import { DomainError, ErrorCode, loggableError } from '@payhub/common';
import { MerchantsService } from '@payhub/merchants';
import { ProviderConfigService } from '@payhub/provider-config';
import { ProviderRegistry } from '@payhub/providers-core';
import { FailureCode, presentTransaction, TransactionEntity, TransactionStateService, TxStatus, WITHDRAWAL_TX_TYPES } from '@payhub/transactions';
import { CreatePaymentUseCase } from '../create-payment.use-case';
import type { WithdrawalRequestDto } from '../dto';
import { callProvider } from '../provider-call';
import type { StaffActor } from '../staff-actor';
import { toTransactionView } from '../transaction-view';
import { PayoutQueue } from './payout-queue';
import { inTransaction } from '@payhub/database';

/**
 * Staff decisions on withdrawals: create one on a customer's behalf, approve (submitted by the
 * payouts queue), decline. The status change under the row lock decides every race: of two
 * approvers, or two clicks, one moves WAITING_APPROVAL → REGISTERED and enqueues; the rest get 409.
 */
@Injectable()
export class PayoutDecisionUseCase {
  private readonly logger = new Logger(PayoutDecisionUseCase.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly payments: CreatePaymentUseCase,
    private readonly merchants: MerchantsService,
    private readonly state: TransactionStateService,
    private readonly registry: ProviderRegistry,
    private readonly providerConfigs: ProviderConfigService,
    private readonly payouts: PayoutQueue,
    private readonly audit: AuditService,
  ) {}

  async createOnBehalf(actor: StaffActor, merchantId: string, dto: WithdrawalRequestDto): Promise<TransactionEntity> {
    const merchant = await this.merchants.get(merchantId);
    if (merchant.status !== 'active') throw new DomainError(ErrorCode.MERCHANT_DISABLED, `Merchant ${merchantId} is disabled`);
    const tx = await this.payments.withdrawal(
      { merchant: { id: merchant.id, name: merchant.name, apiKeyId: `staff:${actor.staff.id}` }, staffId: actor.staff.id },
      dto,
    );
    await this.audit.record({
      actor: actor.staff,
      action: 'withdrawal.create',
      targetType: 'transaction',
      targetId: tx.id,
      after: presentTransaction(tx),
      requestId: actor.requestId,
    });
    return tx;
  }

  async approve(actor: StaffActor, txId: string): Promise<TransactionEntity> {
    const tx = await inTransaction(this.dataSource, async (manager) => {
      const current = await this.lockWaiting(manager, txId);
      // Four eyes: whoever typed the payout in, or minted the API key that created it, never releases it.
      if (current.createdBy === actor.staff.id || (await this.apiKeyMinterOf(manager, txId)) === actor.staff.id) {
        throw new DomainError(
          ErrorCode.FOUR_EYES_VIOLATION,
          'A withdrawal cannot be approved by the staff member who created it or minted the API key that did',
        );
      }
      const { tx: approved } = await this.state.transition(
        txId,
        TxStatus.REGISTERED,
        { source: 'backoffice', actor: actor.staff.id, reason: 'approved' },
        {},
        manager,
      );
      await this.audit.record(
        {
          actor: actor.staff,
          action: 'withdrawal.approve',
          targetType: 'transaction',
          targetId: txId,
          before: { status: TxStatus.WAITING_APPROVAL },
          after: { status: approved.status },
          requestId: actor.requestId,
        },
        manager,
      );
      return approved;
    });
    await this.payouts.enqueue(tx.id);
    return tx;
  }

  /**
   * Ends CANCELLED with DECLINED_BY_STAFF. A provider with its own payout confirmation (Kasha's
   * settle-payout DECLINE) is told afterwards, outside the row lock, when the payout was registered
   * there (providerTxId set); its answer is kept as an event and cannot undo the decline.
   */
  async decline(actor: StaffActor, txId: string, reason: string): Promise<TransactionEntity> {
    const tx = await inTransaction(this.dataSource, async (manager) => {
      await this.lockWaiting(manager, txId);
      const { tx: declined } = await this.state.transition(
        txId,
        TxStatus.CANCELLED,
        { source: 'backoffice', actor: actor.staff.id, reason },
        {
          failure: { code: FailureCode.DECLINED_BY_STAFF, reason },
          nextAction: null,
        },
        manager,
      );
      await this.audit.record(
        {
          actor: actor.staff,
          action: 'withdrawal.decline',
          targetType: 'transaction',
          targetId: txId,
          before: { status: TxStatus.WAITING_APPROVAL },
          after: { status: declined.status, failure: declined.failure },
          reason,
          requestId: actor.requestId,
        },
        manager,
      );
      return declined;
    });
    await this.tellProviderDeclined(tx, reason);
    return tx;
  }

  private async apiKeyMinterOf(manager: EntityManager, txId: string): Promise<string | null> {
    const rows: Array<{ actor: string | null }> = await manager.query(
      "SELECT actor FROM transaction_events WHERE transaction_id = ? AND source = 'api' ORDER BY id LIMIT 1",
      [txId],
    );
    return rows[0]?.actor ? this.merchants.apiKeyMinter(rows[0].actor) : null;
  }

  private async lockWaiting(manager: EntityManager, txId: string): Promise<TransactionEntity> {
    const tx = await this.state.lock(manager, txId);
    if (!WITHDRAWAL_TX_TYPES.includes(tx.txType)) {
      throw new DomainError(ErrorCode.TRANSACTION_NOT_ELIGIBLE, `${txId} is a ${tx.txType}, not a withdrawal`);
    }
    if (tx.status !== TxStatus.WAITING_APPROVAL) {
      throw new DomainError(ErrorCode.TRANSACTION_STATE_CONFLICT, `Withdrawal ${txId} is ${tx.status}, no longer waiting for approval`, [], {
        status: tx.status,
      });
    }
    return tx;
  }

  private async tellProviderDeclined(tx: TransactionEntity, reason: string): Promise<void> {
    const provider = tx.provider ? this.registry.find(tx.provider) : undefined;
    if (!provider?.declinePayout || !tx.providerTxId || !tx.providerAccount) return;
    const declinePayout = provider.declinePayout.bind(provider);
    try {
      const account = await this.providerConfigs.resolveAccount(tx.merchantId, provider.id, tx.providerAccount);
      const outcome = await callProvider(() => declinePayout({ tx: toTransactionView(tx), reason }, account));
      await this.state.note(tx.id, {
        source: 'backoffice',
        actor: provider.id,
        reason: 'payout declined at the provider',
        data: { status: outcome.status, raw: outcome.raw },
      });
    } catch (error) {
      this.logger.error({ txId: tx.id, error: loggableError(error) }, 'telling the provider about a declined payout failed');
    }
  }
}
