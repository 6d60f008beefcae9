import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsMinorAmount } from '@payhub/common';

export class MerchantRefundDto {
  @ApiPropertyOptional({ description: 'minor units; omitted = everything still refundable' })
  @IsOptional() @IsMinorAmount() amount?: number;
  @ApiProperty({ description: 'your reference, unique among your transactions' })
  @Matches(/^[A-Za-z0-9._:\-/]{1,64}$/, { message: 'must be 1-64 characters of A-Z a-z 0-9 . _ : - /' }) merchantRefundId: string;
}
