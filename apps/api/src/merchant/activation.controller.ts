import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedMerchant } from '@payhub/merchants';
import { ActivateDepositUseCase, ActivationRequestDto } from '@payhub/payments';
import { presentTransaction, TransactionResponse } from '@payhub/transactions';
import { CurrentMerchant, MerchantApi } from './merchant-auth';

@ApiTags('merchant')
@MerchantApi()
@Controller('v1/deposits')
export class ActivationController {
  constructor(private readonly activation: ActivateDepositUseCase) {}

  @Post(':id/activation')
  @ApiOperation({ summary: "Give the customer's transaction number (Paykassma activation; amount and screenshot where the method needs them)" })
  async activate(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string, @Body() dto: ActivationRequestDto): Promise<TransactionResponse> {
    return presentTransaction(await this.activation.activate(merchant.id, id, dto, merchant.apiKeyId));
  }
}
