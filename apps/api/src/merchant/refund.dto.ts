import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches, ValidateIf } from 'class-validator';
import { IsMinorAmount } from '@payhub/common';

export class MerchantRefundDto {
  @ApiPropertyOptional({ description: 'minor units; omitted = everything still refundable' })
  // Absent means everything still refundable; null is not a way of saying so.
  @ValidateIf((dto: { amount?: unknown }) => dto.amount !== undefined)
  @IsMinorAmount()
  amount?: number;
  @ApiProperty({ description: 'your reference, unique among your transactions' })
  @Matches(/^[A-Za-z0-9._:\-/]{1,64}$/, { message: 'must be 1-64 characters of A-Z a-z 0-9 . _ : - /' })
  merchantRefundId: string;
}
