import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsISO8601, IsOptional, IsString, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { IsCurrencyCode, IsMinorAmount } from '@payhub/common';
import { FORCEABLE_STATUSES } from '@payhub/backoffice-operations';
import { WithdrawalRequestDto } from '@payhub/payments';
import { TxStatus, TxType } from '@payhub/transactions';

const ID = (prefix: string) => new RegExp(`^${prefix}_[0-9A-Z]{26}$`);
const MINOR = /^\d{1,16}$/;
const STATUSES = Object.values(TxStatus);
const TX_TYPES = Object.values(TxType);

export class TransactionFilterQueryDto {
  @ApiPropertyOptional({ description: 'matched exactly against the payhub id, merchantTxId, provider id and userId' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  q?: string;
  @ApiPropertyOptional({ description: 'payhub transaction id' }) @IsOptional() @Matches(ID('tx'), { message: 'must be a transaction id' }) id?: string;
  @IsOptional() @Matches(ID('mer'), { message: 'must be a merchant id' }) merchantId?: string;
  @ApiPropertyOptional({ description: "the provider's own id of the transaction" }) @IsOptional() @IsString() @Length(1, 128) providerTxId?: string;
  @IsOptional() @IsCurrencyCode() currency?: string;
  @IsOptional() @IsIn(STATUSES) status?: TxStatus;
  @IsOptional() @IsIn(TX_TYPES) txType?: TxType;
  @IsOptional() @Matches(/^[a-z0-9-]{1,32}$/, { message: 'must be a provider id' }) provider?: string;
  @IsOptional() @IsString() @Length(1, 64) merchantTxId?: string;
  @IsOptional() @IsString() @Length(1, 64) userId?: string;
  @ApiPropertyOptional({ description: 'ISO 8601, inclusive' }) @IsOptional() @IsISO8601({ strict: true }) createdFrom?: string;
  @ApiPropertyOptional({ description: 'ISO 8601, exclusive' }) @IsOptional() @IsISO8601({ strict: true }) createdTo?: string;
  @ApiPropertyOptional({ description: 'minor units, inclusive' })
  @IsOptional()
  @Matches(MINOR, { message: 'must be a whole number of minor units' })
  amountMin?: string;
  @ApiPropertyOptional({ description: 'minor units, inclusive' })
  @IsOptional()
  @Matches(MINOR, { message: 'must be a whole number of minor units' })
  amountMax?: string;
  @ApiPropertyOptional({ description: '`open`: only transactions with an unresolved conflict' }) @IsOptional() @IsIn(['open']) conflict?: 'open';
}

export class SearchTransactionsQueryDto extends TransactionFilterQueryDto {
  @IsOptional() @Matches(/^([1-9]\d?|100)$/, { message: 'must be an integer 1-100' }) limit?: string;
  @IsOptional() @Matches(ID('tx'), { message: 'must be a transaction id' }) startingAfter?: string;
}

export class StaffRefundDto {
  @ApiPropertyOptional({ description: 'minor units; omitted = everything still refundable' })
  // Absent means everything still refundable; null is not a way of saying so.
  @ValidateIf((dto: { amount?: unknown }) => dto.amount !== undefined)
  @IsMinorAmount()
  amount?: number;
  @IsOptional() @IsString() @Length(1, 512) reason?: string;
}

export class ReversalDto {
  @IsOptional() @IsString() @Length(1, 512) reason?: string;
}

export class ForceStatusDto {
  @IsIn(FORCEABLE_STATUSES, { message: `must be one of ${FORCEABLE_STATUSES.join(', ')}` }) status: TxStatus;
  @IsString() @Length(3, 512) reason: string;
}

export class ManualWithdrawalDto extends WithdrawalRequestDto {
  @Matches(ID('mer'), { message: 'must be a merchant id' }) merchantId: string;
}

export class ApprovalQueueQueryDto {
  @IsOptional() @Matches(ID('mer'), { message: 'must be a merchant id' }) merchantId?: string;
  @IsOptional() @Matches(/^([1-9]\d?|100)$/, { message: 'must be an integer 1-100' }) limit?: string;
  @IsOptional() @Matches(ID('tx'), { message: 'must be a transaction id' }) startingAfter?: string;
}

export class DeclineWithdrawalDto {
  @IsString() @Length(3, 512) reason: string;
}

export class AuditLogFilterQueryDto {
  /** A staff id, or `cli:<os user>` for what the admin CLI did. */
  @IsOptional() @Matches(new RegExp(`${ID('stf').source}|^cli:[A-Za-z0-9._-]{1,28}$`), { message: 'must be a staff id or cli:<os user>' }) actorId?: string;
  @IsOptional() @IsString() @Length(1, 32) targetType?: string;
  @IsOptional() @IsString() @Length(1, 64) targetId?: string;
  @IsOptional() @Matches(/^[a-z_.]{1,64}$/, { message: 'must be an action name' }) action?: string;
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class AuditLogQueryDto extends AuditLogFilterQueryDto {
  @IsOptional() @Matches(/^([1-9]\d?|100)$/, { message: 'must be an integer 1-100' }) limit?: string;
  @IsOptional() @Matches(ID('aud'), { message: 'must be an audit entry id' }) startingAfter?: string;
}

export class AutoApproveRuleDto {
  @IsCurrencyCode() currency: string;
  @ApiProperty({ description: 'payouts strictly below this amount (minor units) are approved without staff' })
  @IsMinorAmount({ currencyProperty: 'currency' })
  below: number;
}

export class PayoutAutoApproveDto {
  @ApiProperty({ type: [AutoApproveRuleDto], description: 'one rule per currency; empty = every payout waits for staff' })
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AutoApproveRuleDto)
  rules: AutoApproveRuleDto[];
}
