import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedMerchant } from '@payhub/merchants';
import { RefundUseCase } from '@payhub/payments';
import { presentTransaction, TransactionResponse } from '@payhub/transactions';
import { MerchantRefundDto } from './refund.dto';
import { CurrentMerchant, MerchantApi } from './merchant-auth';

@ApiTags('merchant')
@MerchantApi()
@Controller('v1/transactions/:id/refunds')
export class RefundsController {
  constructor(private readonly refunds: RefundUseCase) {}

  @Post()
  @ApiOperation({ summary: 'Refund a successful deposit, fully (no amount) or partially; answers the refund transaction' })
  async create(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string, @Body() dto: MerchantRefundDto): Promise<TransactionResponse> {
    const amount = dto.amount === undefined ? undefined : BigInt(dto.amount);
    return presentTransaction(await this.refunds.refund({ merchant }, id, { amount, merchantRefundId: dto.merchantRefundId }));
  }
}
