import { Body, Controller, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedMerchant } from '@payhub/merchants';
import { CreatePaymentUseCase, WithdrawalRequestDto } from '@payhub/payments';
import { presentTransaction, TransactionResponse } from '@payhub/transactions';
import { CurrentMerchant, MerchantApi } from './merchant-auth';

@ApiTags('merchant')
@MerchantApi()
@Controller('v1/withdrawals')
export class WithdrawalsController {
  constructor(private readonly payments: CreatePaymentUseCase) {}

  @Post()
  @ApiOperation({ summary: 'Create a withdrawal; it waits for staff approval before it reaches the provider' })
  async create(@CurrentMerchant() merchant: AuthenticatedMerchant, @Body() dto: WithdrawalRequestDto): Promise<TransactionResponse> {
    return presentTransaction(await this.payments.withdrawal({ merchant }, dto));
  }
}
