import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '@payhub/database';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DomainError, ErrorCode } from '@payhub/common';
import { ProviderConfigService } from '@payhub/provider-config';
import { ProviderOutcome, ProviderRegistry } from '@payhub/providers-core';
import {
  ChangeContext,
  directionOf,
  IllegalTransitionError,
  TransactionEntity,
  TransactionQueryService,
  TransactionStateService,
  TxStatus,
} from '@payhub/transactions';
import { ApplyOutcomeService } from './apply-outcome.service';
import { callProvider } from './provider-call';
import { toTransactionView } from './transaction-view';

export class ActivationRequestDto {
  @ApiProperty({ example: '0394031', description: 'The transaction number the customer got from their wallet or bank' })
  @IsString()
  @Matches(/^\S(.*\S)?$/, { message: 'must not be empty or start or end with spaces' })
  @MaxLength(190)
  transactionNumber: string;

  @ApiPropertyOptional({ example: 25000, description: 'Minor units the customer says they paid; required where the payment system needs it' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount?: number;

  @ApiPropertyOptional({ description: 'Base64 image (or PDF) of the payment, where the payment system asks for one' })
  @IsOptional()
  @IsString()
  @MaxLength(900_000)
  screenshot?: string;
}

/** Activation is possible while the deposit waits for the customer, or after an attempt whose outcome was unknown. */
const ACTIVATABLE: readonly TxStatus[] = [TxStatus.WAITING_INPUT, TxStatus.INCONSISTENT];
/** Marks an activation on its way to the provider; a claim older than this is taken to have died. */
const ACTIVATION_CLAIM = 'activationStartedAt';
const ACTIVATION_CLAIM_MS = 60_000;

/**
 * `POST /v1/deposits/{id}/activation`: hands the customer's transaction number to the provider. A
 * refusal leaves the deposit waiting (the customer may correct the number); an unknown outcome marks
 * it INCONSISTENT for the status check; anything else goes through the state machine.
 */
@Injectable()
export class ActivateDepositUseCase {
  constructor(
    private readonly query: TransactionQueryService,
    private readonly providerConfigs: ProviderConfigService,
    private readonly registry: ProviderRegistry,
    private readonly outcomes: ApplyOutcomeService,
    private readonly state: TransactionStateService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async activate(merchantId: string, txId: string, dto: ActivationRequestDto, actor: string): Promise<TransactionEntity> {
    const tx = await this.query.get(txId, merchantId);
    if (directionOf(tx.txType) !== 'DEPOSIT' || !tx.provider || !tx.providerAccount) {
      throw new DomainError(ErrorCode.OPERATION_NOT_SUPPORTED, 'Only deposits sent to a provider can be activated');
    }
    const provider = this.registry.get(tx.provider);
    if (!provider.activate) throw new DomainError(ErrorCode.OPERATION_NOT_SUPPORTED, `${tx.provider} deposits need no activation`);
    if (!ACTIVATABLE.includes(tx.status)) {
      throw new DomainError(ErrorCode.ILLEGAL_TRANSITION, `Transaction ${tx.id} is ${tx.status} and cannot be activated`, [], { from: tx.status });
    }
    const account = await this.providerConfigs.resolveAccount(tx.merchantId, tx.provider, tx.providerAccount);
    const ctx: ChangeContext = { source: 'api', actor, reason: 'activation' };
    await this.claim(tx.id, ctx);
    const request = {
      tx: toTransactionView(tx),
      transactionNumber: dto.transactionNumber,
      amount: dto.amount === undefined ? null : BigInt(dto.amount),
      screenshot: dto.screenshot ?? null,
      userId: tx.userId,
    };
    // Checks the adapter makes before sending (DomainError) reach the caller; any other throw is an unknown outcome.
    let refusal: DomainError | null = null;
    const outcome = await callProvider(async () => {
      try {
        return await provider.activate!(request, account);
      } catch (error) {
        if (error instanceof DomainError) refusal = error;
        throw error;
      }
    });
    if (refusal) {
      await this.release(tx.id, ctx);
      throw refusal;
    }

    if (outcome.status === TxStatus.WAITING_INPUT && outcome.failure) {
      await this.release(tx.id, ctx);
      await this.state.note(tx.id, {
        ...ctx,
        reason: 'activation refused by the provider',
        providerMessage: outcome.failure.providerMessage ?? null,
        data: { raw: outcome.raw },
      });
      throw new DomainError(
        ErrorCode.ACTIVATION_REJECTED,
        `${tx.provider} refused the activation: ${outcome.failure.providerMessage ?? outcome.failure.reason}`,
        [{ field: 'transactionNumber', issue: outcome.failure.providerMessage ?? outcome.failure.reason }],
      );
    }
    if (outcome.status === TxStatus.INCONSISTENT) return this.markUnknown(tx.id, outcome, ctx);
    return (await this.outcomes.apply(tx.id, outcome, ctx)).tx;
  }

  /**
   * Under the row lock: one activation at a time reaches the provider. A second one sent meanwhile (a
   * double click, a retry) gets 409 instead of a second provider call.
   */
  private async claim(txId: string, ctx: ChangeContext): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const tx = await this.state.lock(manager, txId);
      if (!ACTIVATABLE.includes(tx.status)) {
        throw new DomainError(ErrorCode.ILLEGAL_TRANSITION, `Transaction ${tx.id} is ${tx.status} and cannot be activated`, [], { from: tx.status });
      }
      const started = tx.providerData?.[ACTIVATION_CLAIM];
      if (typeof started === 'string' && Date.now() - Date.parse(started) < ACTIVATION_CLAIM_MS) {
        throw new DomainError(ErrorCode.TRANSACTION_STATE_CONFLICT, `An activation of ${tx.id} is already being processed`, [
          { field: 'transactionNumber', issue: 'another activation of this deposit is in progress' },
        ]);
      }
      const providerData = { ...(tx.providerData ?? {}), [ACTIVATION_CLAIM]: new Date().toISOString() };
      await this.state.transition(tx.id, tx.status, { ...ctx, reason: 'activation sent' }, { providerData }, manager);
    });
  }

  /** After a refusal the customer may try again at once. */
  private async release(txId: string, ctx: ChangeContext): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const tx = await this.state.lock(manager, txId);
      const { [ACTIVATION_CLAIM]: _released, ...providerData } = tx.providerData ?? {};
      await this.state.transition(tx.id, tx.status, { ...ctx, reason: 'activation refused' }, { providerData }, manager);
    });
  }

  /** The activation may or may not have reached the provider: only a status check can tell. */
  private async markUnknown(txId: string, outcome: ProviderOutcome, ctx: ChangeContext): Promise<TransactionEntity> {
    try {
      return (
        await this.state.transition(
          txId,
          TxStatus.INCONSISTENT,
          { ...ctx, providerMessage: outcome.failure?.providerMessage ?? null, data: { raw: outcome.raw } },
          { failure: outcome.failure ?? null },
        )
      ).tx;
    } catch (error) {
      // A postback settled the deposit meanwhile; its final status stands.
      if (!(error instanceof IllegalTransitionError)) throw error;
      await this.state.note(txId, { ...ctx, data: { raw: outcome.raw } });
      return this.query.get(txId);
    }
  }
}
