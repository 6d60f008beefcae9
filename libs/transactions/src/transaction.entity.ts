import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintColumn } from '@payhub/database';
import { Failure, NextAction, TxStatus, TxType } from '@payhub/domain';

/** Why a provider result was held instead of applied: a status against a final one, or other money. */
export type ConflictCode = 'STATUS_CONFLICT' | 'AMOUNT_MISMATCH' | 'CURRENCY_MISMATCH';
export const MONEY_MISMATCH_CODES: readonly ConflictCode[] = ['AMOUNT_MISMATCH', 'CURRENCY_MISMATCH'];

export interface TransactionConflict {
  at: string;
  source: string;
  /** Absent on conflicts stored before codes existed: those are STATUS_CONFLICT. */
  code?: ConflictCode;
  reportedStatus: TxStatus;
  /** Minor units of `reportedCurrency`, as a decimal string. */
  reportedAmount?: string | null;
  reportedCurrency?: string | null;
  providerCode?: string | null;
  providerMessage?: string | null;
  resolved?: boolean;
}

@Entity('transactions')
@Index('uq_transactions_merchant_tx_id', ['merchantId', 'merchantTxId'], { unique: true })
@Index('ix_transactions_status_updated', ['status', 'updatedAt'])
@Index('ix_transactions_provider_tx', ['provider', 'providerTxId'])
@Index('ix_transactions_parent', ['parentId'])
export class TransactionEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id: string;
  @Column({ name: 'merchant_id', type: 'varchar', length: 32 }) merchantId: string;
  @Column({ name: 'merchant_tx_id', type: 'varchar', length: 64 }) merchantTxId: string;
  @Column({ name: 'user_id', type: 'varchar', length: 64 }) userId: string;
  @Column({ name: 'tx_type', type: 'varchar', length: 32 }) txType: TxType;
  @Column({ type: 'varchar', length: 32, nullable: true }) service: string | null;
  @Column({ type: 'varchar', length: 20 }) status: TxStatus;
  @Column({ type: 'bigint', transformer: bigintColumn }) amount: bigint;
  @Column({ type: 'varchar', length: 8 }) currency: string;
  @Column({ type: 'char', length: 2, nullable: true }) country: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) provider: string | null;
  @Column({ name: 'provider_account', type: 'varchar', length: 32, nullable: true }) providerAccount: string | null;
  @Column({ name: 'provider_tx_id', type: 'varchar', length: 128, nullable: true }) providerTxId: string | null;
  @Column({ name: 'parent_id', type: 'varchar', length: 32, nullable: true }) parentId: string | null;
  @Column({ name: 'refunded_amount', type: 'bigint', transformer: bigintColumn, default: 0 }) refundedAmount: bigint;
  /** What the provider says it settled, when that differs from `amount` (e.g. the customer paid another sum). */
  @Column({ name: 'settled_amount', type: 'bigint', transformer: bigintColumn, nullable: true }) settledAmount: bigint | null;
  @Column({ name: 'routing_rule_id', type: 'varchar', length: 32, nullable: true }) routingRuleId: string | null;
  @Column({ name: 'routing_reason', type: 'varchar', length: 1024, nullable: true }) routingReason: string | null;
  @Column({ name: 'next_action', type: 'json', nullable: true }) nextAction: NextAction | null;
  @Column({ type: 'json', nullable: true }) failure: Failure | null;
  @Column({ name: 'card_brand', type: 'varchar', length: 16, nullable: true }) cardBrand: string | null;
  @Column({ name: 'card_bin', type: 'char', length: 6, nullable: true }) cardBin: string | null;
  @Column({ name: 'card_last4', type: 'char', length: 4, nullable: true }) cardLast4: string | null;
  @Column({ name: 'card_expiry', type: 'char', length: 7, nullable: true }) cardExpiry: string | null;
  /** Customer, wallet, bank, redirect URLs: what the merchant sent, minus card data. */
  @Column({ type: 'json', nullable: true }) details: Record<string, unknown> | null;
  @Column({ name: 'notification_url', type: 'varchar', length: 2048, nullable: true }) notificationUrl: string | null;
  @Column({ name: 'provider_data', type: 'json', nullable: true }) providerData: Record<string, unknown> | null;
  @Column({ type: 'json', nullable: true }) conflict: TransactionConflict | null;
  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true }) createdBy: string | null;
  @Column({ type: 'int', default: 0 }) version: number;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
