import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class MerchantRefundDto {
  @ApiPropertyOptional({ description: 'minor units; omitted = everything still refundable' })
  @IsOptional() @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) amount?: number;
  @ApiProperty({ description: 'your reference, unique among your transactions' })
  @Matches(/^[A-Za-z0-9._:\-/]{1,64}$/, { message: 'must be 1-64 characters of A-Z a-z 0-9 . _ : - /' }) merchantRefundId: string;
}
