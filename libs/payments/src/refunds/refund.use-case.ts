import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@payhub/backoffice';
import { APP_CONFIG, AppConfig, DomainError, ErrorCode, newId, asJsonInteger, describeAmount, toMajorString } from '@payhub/common';
import { isDuplicateKeyError, inTransaction } from '@payhub/database';
import type { AuthenticatedMerchant } from '@payhub/merchants';
import { ProviderConfigService } from '@payhub/provider-config';
import { PaymentProvider, ProviderOutcome, ProviderRegistry, RefundRequest, ResolvedAccount } from '@payhub/providers-core';
import { DEPOSIT_TX_TYPES, refundCeiling, TransactionEntity, TransactionQueryService, TransactionStateService, TxStatus, TxType } from '@payhub/transactions';
import { ApplyOutcomeService } from '../apply-outcome.service';
import { callProvider } from '../provider-call';
import type { StaffActor } from '../staff-actor';
import { toTransactionView } from '../transaction-view';

/** Who asks for the money back: the merchant over /v1 (scoped to its own deposits) or staff. */
export type ReturnInitiator = { merchant: AuthenticatedMerchant; staff?: undefined } | ({ merchant?: undefined } & StaffActor);

export interface RefundCommand {
  /** Minor units; omitted = everything not yet refunded or reserved by a pending refund. */
  amount?: bigint;
  /** The merchant's reference, unique per merchant like a merchantTxId; staff refunds get a generated one. */
  merchantRefundId?: string;
  reason?: string | null;
}

type ReturnKind = TxType.Refund | TxType.Reversal;

/**
 * Refunds (full or partial) and reversals of a successful deposit: one child transaction each.
 * The child is created under the parent's row lock after summing the successful and still-pending
 * children, so parallel requests can never reserve more than the deposit. The provider is called
 * outside that lock; its answer is applied to the child through ApplyOutcomeService, and a success
 * moves the parent's refundedAmount inside the state machine. A provider timeout leaves the child
 * INCONSISTENT, still reserving its amount until a status check or staff settle it.
 */
@Injectable()
export class RefundUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ProviderRegistry,
    private readonly providerConfigs: ProviderConfigService,
    private readonly state: TransactionStateService,
    private readonly query: TransactionQueryService,
    private readonly outcomes: ApplyOutcomeService,
    private readonly audit: AuditService,
  ) {}

  async refund(initiator: ReturnInitiator, parentId: string, command: RefundCommand): Promise<TransactionEntity> {
    return this.open(TxType.Refund, initiator, parentId, command);
  }

  /** A reversal returns the whole deposit, so it is refused once any refund is successful or pending. */
  async reverse(initiator: StaffActor, parentId: string, reason: string | null): Promise<TransactionEntity> {
    return this.open(TxType.Reversal, initiator, parentId, { reason });
  }

  private async open(kind: ReturnKind, initiator: ReturnInitiator, parentId: string, command: RefundCommand): Promise<TransactionEntity> {
    const parent = await this.query.get(parentId, initiator.merchant?.id);
    const { provider, call } = this.capability(kind, parent);
    const account = await this.providerConfigs.resolveAccount(parent.merchantId, provider.id, parent.providerAccount ?? '');

    const child = await this.reserve(kind, initiator, parentId, command, provider);
    const request: RefundRequest = {
      txId: child.id,
      parent: toTransactionView(parent),
      amount: child.amount,
      currency: child.currency,
      callbackUrl: `${this.config.publicUrl}/callbacks/${provider.id}/${child.id}`,
    };
    const outcome = await callProvider(() => call(request, account));
    const actor = initiator.staff?.id ?? initiator.merchant!.apiKeyId;
    return (await this.outcomes.apply(child.id, outcome, { source: initiator.staff ? 'backoffice' : 'api', actor })).tx;
  }

  private capability(
    kind: ReturnKind,
    parent: TransactionEntity,
  ): { provider: PaymentProvider; call: (req: RefundRequest, account: ResolvedAccount) => Promise<ProviderOutcome> } {
    if (!parent.provider) throw new DomainError(ErrorCode.TRANSACTION_NOT_ELIGIBLE, `Transaction ${parent.id} never reached a provider`);
    const provider = this.registry.get(parent.provider);
    const method = kind === TxType.Refund ? provider.refund : provider.reverse;
    if (!method) {
      throw new DomainError(ErrorCode.OPERATION_NOT_SUPPORTED, `${provider.id} does not support ${kind === TxType.Refund ? 'refunds' : 'reversals'}`, [], {
        provider: provider.id,
        operation: kind,
      });
    }
    return { provider, call: (req, account) => method.call(provider, req, account) };
  }

  /** One DB transaction: lock the parent, check what is left, insert the child (and the audit row). */
  private async reserve(
    kind: ReturnKind,
    initiator: ReturnInitiator,
    parentId: string,
    command: RefundCommand,
    provider: PaymentProvider,
  ): Promise<TransactionEntity> {
    const providerId = provider.id;
    const childId = newId('tx');
    const merchantTxId = command.merchantRefundId ?? childId;
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const parent = await this.state.lock(manager, parentId);
        if (!DEPOSIT_TX_TYPES.includes(parent.txType) || parent.status !== TxStatus.SUCCESSFUL) {
          throw new DomainError(
            ErrorCode.TRANSACTION_NOT_ELIGIBLE,
            `Only SUCCESSFUL deposits can be refunded or reversed; ${parent.id} is a ${parent.status} ${parent.txType}`,
            [],
            { status: parent.status, txType: parent.txType },
          );
        }
        const committed = await this.query.committedReturns(parentId, manager);
        const remaining = refundCeiling(parent) - committed;
        if (kind === TxType.Reversal && committed > 0n) {
          throw new DomainError(
            ErrorCode.TRANSACTION_NOT_ELIGIBLE,
            `${parent.id} already has successful or pending refunds; it can no longer be reversed`,
            [],
            { refundable: asJsonInteger(remaining) },
          );
        }
        const amount = kind === TxType.Reversal ? refundCeiling(parent) : (command.amount ?? remaining);
        if (amount <= 0n || amount > remaining) {
          throw new DomainError(
            ErrorCode.REFUND_EXCEEDS_AMOUNT,
            `${toMajorString(amount, parent.currency)} ${parent.currency} exceeds the ${toMajorString(remaining, parent.currency)} ${parent.currency} still refundable on ${parent.id}`,
            [{ field: 'amount', issue: `must be at most ${describeAmount(remaining, parent.currency)}` }],
            { refundable: asJsonInteger(remaining) },
          );
        }
        if (kind === TxType.Refund && provider.refundsWholeAmountOnly && (committed > 0n || amount !== refundCeiling(parent))) {
          throw new DomainError(
            ErrorCode.OPERATION_NOT_SUPPORTED,
            `${providerId} refunds only the whole settled amount, once`,
            [{ field: 'amount', issue: `must be the whole ${refundCeiling(parent)} (or omitted); ${providerId} has no partial refunds` }],
            { provider: providerId, operation: 'partial_refund', refundable: asJsonInteger(remaining) },
          );
        }
        const child = await this.state.create(
          {
            id: childId,
            merchantId: parent.merchantId,
            merchantTxId,
            userId: parent.userId,
            txType: kind,
            service: parent.service,
            status: TxStatus.REGISTERED,
            amount,
            currency: parent.currency,
            country: parent.country,
            provider: providerId,
            providerAccount: parent.providerAccount,
            parentId: parent.id,
            routingRuleId: null,
            routingReason: `${kind} of ${parent.id}: same provider and account as the deposit`,
            cardBrand: parent.cardBrand,
            cardBin: parent.cardBin,
            cardLast4: parent.cardLast4,
            cardExpiry: parent.cardExpiry,
            details: command.reason ? { reason: command.reason } : null,
            notificationUrl: parent.notificationUrl,
            createdBy: initiator.staff?.id ?? null,
          },
          { source: initiator.staff ? 'backoffice' : 'api', actor: initiator.staff?.id ?? initiator.merchant!.apiKeyId, reason: command.reason ?? null },
          manager,
        );
        if (initiator.staff) {
          await this.audit.record(
            {
              actor: initiator.staff,
              action: kind === TxType.Refund ? 'transaction.refund' : 'transaction.reversal',
              targetType: 'transaction',
              targetId: parent.id,
              before: {
                status: parent.status,
                amount: asJsonInteger(parent.amount),
                refundedAmount: asJsonInteger(parent.refundedAmount),
                reserved: asJsonInteger(committed),
              },
              after: { childId: child.id, amount: asJsonInteger(amount), reserved: asJsonInteger(committed + amount) },
              reason: command.reason ?? null,
              requestId: initiator.requestId,
            },
            manager,
          );
        }
        return child;
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.query.findByMerchantTxId((await this.query.get(parentId)).merchantId, merchantTxId);
      throw new DomainError(
        ErrorCode.DUPLICATE_MERCHANT_TX_ID,
        `merchantRefundId ${merchantTxId} was already used`,
        [{ field: 'merchantRefundId', issue: 'is already used' }],
        { transactionId: existing?.id ?? null },
      );
    }
  }
}
